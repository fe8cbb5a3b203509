"""Tests for context_builder.lexical: exact terms, and rankings on a small synthetic repository."""

from __future__ import annotations

import textwrap

import pytest

from context_builder.chunking import Chunk, chunk_document
from context_builder.lexical import LexicalIndex, Weights, code_tokens, path_tokens

FILLER = "\n".join(f"VALUE_{i} = {i}" for i in range(70))  # makes a file long enough to be cut at definitions

REPO = {
    "src/shop/cart.py": textwrap.dedent(
        """\
        class Cart:
            def add_item(self, item):
                self.items.append(item)

        def compute_total_price(cart):
            return sum(item.price for item in cart.items)

        def apply_discount(cart, percent):
            return compute_total_price(cart) * (1 - percent / 100)
        """
    )
    + FILLER,
    "src/shop/payment/gateway.py": "def charge(card, amount):\n    return card.send(amount)  # to the gateway\n",
    "src/shop/users.py": "class UserAccount:\n    def rename(self, name):\n        self.name = name\n",
    "docs/guide.md": "# Guide\n\nThe shop sells items; the cart holds them until payment.\n",
}


def build(repo: dict[str, str] = REPO) -> LexicalIndex:
    """An index over the repository's chunks, chunked as ctx does."""
    return LexicalIndex([c for path in sorted(repo) for c in chunk_document(path, repo[path])])


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("getUserName", ["getusername", "get", "user", "name"]),
        ("get_user_name", ["get_user_name", "get", "user", "name"]),
        ("HTTPServer parse2json", ["httpserver", "http", "server", "parse2json", "parse", "json"]),
        ("__init__ _private", ["init", "private"]),
        ("Rule L031 fails", ["rule", "l031", "031", "fails"]),
        ("The cart is empty when x is 0", ["cart", "empty"]),
        ("self.items = None", ["items"]),
        ("Straße café", ["straße", "café"]),
        ("", []),
    ],
)
def test_code_tokens(text: str, terms: list[str]) -> None:
    assert code_tokens(text) == terms


def test_path_tokens() -> None:
    assert path_tokens("src/sqlfluff/rules/L031.py") == ["src", "sqlfluff", "rules", "l031", "031"]
    assert path_tokens("docs/Makefile") == ["docs", "makefile"]


def test_query_naming_a_function_finds_its_chunk_first() -> None:
    hits = build().search("apply_discount gives the wrong amount")
    chunk, score = hits[0]
    assert (chunk.path, chunk.symbol, chunk.kind) == ("src/shop/cart.py", "apply_discount", "function")
    assert score > hits[1][1]


def test_query_naming_a_path_ranks_that_file_first() -> None:
    files = build().rank_files("Timeout in shop/payment/gateway.py")
    assert files[0][0] == "src/shop/payment/gateway.py"
    assert [score for _, score in files] == sorted((score for _, score in files), reverse=True)


def test_file_score_is_its_best_chunk_plus_a_small_bonus() -> None:
    index = build()
    best_chunk = max(score for chunk, score in index.search("cart", k=100) if chunk.path == "src/shop/cart.py")
    cart = dict(index.rank_files("cart"))["src/shop/cart.py"]
    assert best_chunk < cart < best_chunk + 1


def test_ties_are_broken_by_path_then_start_whatever_the_input_order() -> None:
    same = "def helper():\n    return 1\n"
    repo = {"b/x.py": same, "a/x.py": same, "c/x.py": same}
    chunks = [c for path in repo for c in chunk_document(path, repo[path])]
    for order in (chunks, chunks[::-1]):
        index = LexicalIndex(order)
        assert [c.path for c, _ in index.search("helper")] == ["a/x.py", "b/x.py", "c/x.py"]
        assert [p for p, _ in index.rank_files("helper")] == ["a/x.py", "b/x.py", "c/x.py"]
    scores = {score for _, score in LexicalIndex(chunks).search("helper")}
    assert len(scores) == 1


def test_k_limits_results() -> None:
    index = build()
    assert len(index.search("cart item", k=2)) == 2
    assert len(index.rank_files("cart item", k=1)) == 1
    assert index.search("cart", k=0) == []


@pytest.mark.parametrize("query", ["", "   ", "the and of", "zzzunknownterm"])
def test_queries_without_known_terms_return_nothing(query: str) -> None:
    index = build()
    assert index.search(query) == []
    assert index.rank_files(query) == []


def test_empty_corpus_returns_nothing() -> None:
    index = LexicalIndex([])
    assert index.search("cart") == []
    assert index.rank_files("cart") == []


def test_chunks_without_terms_in_a_field() -> None:
    """No chunk has a symbol and no path has a term: the body field alone still ranks."""
    chunks = [Chunk("a.txt", 1, 1, "file", "", "alpha beta"), Chunk("b.txt", 1, 1, "file", "", "beta")]
    index = LexicalIndex(chunks, Weights(path=1.0, symbol=1.0, body=1.0))
    assert [c.path for c, _ in index.search("alpha")] == ["a.txt"]
    assert [p for p, _ in index.rank_files("beta gamma")] == ["b.txt", "a.txt"]

"""Each package's public surface is a decision: growing it means changing this test."""

from __future__ import annotations

import context_builder
import ctx
import ingest
import llmstxt
import mcp_servers
import skills


def test_ingest_exports() -> None:
    assert sorted(ingest.__all__) == [
        "BudgetError", "Corpus", "CtxError", "DEFAULT_MAX_FILE_SIZE", "Document", "GitError", "ProgressFn",
        "ReadCache", "Redaction", "Selection", "Skipped", "Source", "SourceError", "TokenizerError", "collect", "find_injections", "resolve_source",
    ]


def test_context_builder_exports() -> None:
    assert sorted(context_builder.__all__) == [
        "DEFAULT_ENCODING", "Embedder", "ModelError", "Omission", "PackOptions", "PackResult", "PackedFile", "Report", "STYLES",
        "TiktokenTokenizer", "TokenCache", "Tokenizer", "default_cache_dir", "explain_file", "load_embedder", "load_encoding", "pack", "render_tree",
        "summary_fields",
    ]


def test_ctx_exports() -> None:
    assert sorted(ctx.__all__) == [
        "CheckResult", "CtxError", "DocsResult", "IndexResult", "LlmsTxtResult", "MarkdownResult", "QueryError", "SERVICES",
        "SearchHit", "TreeResult", "docs", "fetch_markdown", "index", "llmstxt_check", "llmstxt_crawl", "llmstxt_generate",
        "pack", "search", "tree",
    ]


def test_llmstxt_exports() -> None:
    assert sorted(llmstxt.__all__) == [
        "Cut", "Diagnostic", "DocPage", "DocsSource", "FullPage", "FullText", "Generated", "GeneratedPage", "Link",
        "LlmsTxt", "NavLink", "Nested", "Parsed", "Section", "detect", "full_text", "generate", "parse", "render",
        "split_full", "validate", "write_outputs",
    ]


def test_every_export_exists() -> None:
    for module in (ingest, context_builder, llmstxt, ctx):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_mcp_servers_exports() -> None:
    assert sorted(mcp_servers.__all__) == [
        "Access", "AccessError", "DEFAULT_MAX_OUTPUT_TOKENS", "JobLimits", "ServerOptions", "build_server", "serve_stdio",
    ]


def test_skills_exports() -> None:
    assert sorted(skills.__all__) == [
        "McpEndpoint", "McpPrompt", "McpResource", "McpServer", "McpServerError", "McpTool", "Problem", "Skill", "SkillError",
        "agent_skills", "check_skill", "mcp_skill", "normalize_name", "read_mcp_server", "service_skill", "write_skill",
    ]

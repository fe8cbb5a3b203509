"""Tests for ingest.decode: bytes to text, or an honest reason why not."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.decode import NotText, decode

FRENCH = (
    "Le cœur a ses raisons que la raison ne connaît point. À Paris, l'été dernier, nous avons mangé "
    "une crème brûlée délicieuse près de la cathédrale Notre-Dame. Élodie préférait le café au lait, "
    "tandis que François commandait toujours un thé glacé. « Où est la gare ? » demanda-t-il à un "
    "garçon très aimable, qui répondit : « Tout droit, après l'église. »\n"
)
JAPANESE = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で"
    "ニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。しかもあとで"
    "聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。\n"
)
CHINESE = (
    "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。中华人民共和国是世界上人口最多的国家之一，"
    "拥有悠久的历史和灿烂的文化。北京是中国的首都，也是政治、文化和国际交往的中心。长城是古代中国"
    "伟大的防御工程。\n"
)
RUSSIAN = (
    "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему. "
    "Всё смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в их доме "
    "француженкою-гувернанткой, и объявила мужу, что не может жить с ним в одном доме.\n"
)
KOREAN = (
    "대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 나온다. "
    "모든 국민은 인간으로서의 존엄과 가치를 가지며, 행복을 추구할 권리를 가진다. 국가는 개인이 "
    "가지는 불가침의 기본적 인권을 확인하고 이를 보장할 의무를 진다.\n"
)
ENGLISH = "Hello, world!\nThis file was saved by a Windows editor.\n"
CODE = (
    "def parse(value: str) -> int:\n"
    '    """Turn a user-supplied string into a port number."""\n'
    "    number = int(value)\n"
    "    if not 0 < number < 65536:\n"
    '        raise ValueError(f"port out of range: {number}")\n'
    "    return number\n"
) * 20


def test_ascii_is_utf8() -> None:
    assert decode(b"print('hi')\n") == ("print('hi')\n", "utf-8")


def test_empty_file_is_empty_text() -> None:
    assert decode(b"") == ("", "utf-8")


def test_utf8() -> None:
    assert decode(FRENCH.encode("utf-8")) == (FRENCH, "utf-8")


def test_utf8_bom_is_stripped_and_reported() -> None:
    assert decode(codecs.BOM_UTF8 + FRENCH.encode("utf-8")) == (FRENCH, "utf-8-sig")


def test_utf16le_with_bom() -> None:
    assert decode(codecs.BOM_UTF16_LE + JAPANESE.encode("utf-16-le")) == (JAPANESE, "utf-16-le")


def test_utf16be_with_bom() -> None:
    assert decode(codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be")) == (RUSSIAN, "utf-16-be")


def test_utf32le_with_bom_is_not_read_as_utf16() -> None:
    assert decode(codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le")) == (FRENCH, "utf-32-le")


def test_utf32be_with_bom() -> None:
    assert decode(codecs.BOM_UTF32_BE + ENGLISH.encode("utf-32-be")) == (ENGLISH, "utf-32-be")


def test_ascii_as_utf16le_without_bom_is_text_not_binary() -> None:
    assert decode(ENGLISH.encode("utf-16-le")) == (ENGLISH, "utf-16-le")


def test_ascii_as_utf16be_without_bom() -> None:
    assert decode(ENGLISH.encode("utf-16-be")) == (ENGLISH, "utf-16-be")


def test_cyrillic_utf16le_without_bom() -> None:
    assert decode(RUSSIAN.encode("utf-16-le")) == (RUSSIAN, "utf-16-le")


def test_japanese_utf16le_without_bom_has_too_few_nuls_to_point_but_is_confirmed() -> None:
    assert decode(JAPANESE.encode("utf-16-le")) == (JAPANESE, "utf-16-le")


def test_utf16be_without_bom_whose_nuls_point_the_wrong_way() -> None:
    # "一" (U+4E00) and the ideographic space (U+3000) put NULs at odd offsets in UTF-16BE.
    text = "第一章　一人の男が一日中歩いた。一番の友達は一匹の猫だった。" + JAPANESE.rstrip("\n")
    data = text.encode("utf-16-be")
    assert data[1::2].count(0) > data[0::2].count(0)
    assert decode(data) == (text, "utf-16-be")


def test_control_characters_are_judged_more_strictly_without_a_bom() -> None:
    text = ("abcdefghij" * 4 + "\x01") * 50  # 2.4% control characters
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "utf-16-le")
    with pytest.raises(NotText):
        decode(text.encode("utf-16-le"))


def test_ascii_as_utf32le_without_bom() -> None:
    assert decode(ENGLISH.encode("utf-32-le")) == (ENGLISH, "utf-32-le")


def test_cp1252_accented_letters() -> None:
    assert decode(FRENCH.encode("cp1252")) == (FRENCH, "cp1252")


def test_shift_jis_japanese_reports_cp932_the_superset_that_reads_it() -> None:
    assert decode(JAPANESE.encode("shift_jis")) == (JAPANESE, "cp932")


def test_gb18030_chinese() -> None:
    assert decode(CHINESE.encode("gb18030")) == (CHINESE, "gb18030")


def test_koi8_r_russian() -> None:
    assert decode(RUSSIAN.encode("koi8_r")) == (RUSSIAN, "koi8-r")


def test_cp1251_russian() -> None:
    assert decode(RUSSIAN.encode("cp1251")) == (RUSSIAN, "cp1251")


def test_euc_kr_korean_reports_cp949_the_superset_that_reads_it() -> None:
    assert decode(KOREAN.encode("euc_kr")) == (KOREAN, "cp949")


def test_mostly_ascii_source_with_one_latin1_comment_is_cp1252() -> None:
    text = "/* Copyright © 2004 Jürgen Müller */\n" + CODE
    assert decode(text.encode("latin-1")) == (text, "cp1252")


def test_mostly_ascii_source_with_cyrillic_comments_is_judged_on_those_lines() -> None:
    text = CODE.replace("    number = int(value)\n", "    # Проверяем значение аргумента\n    number = int(value)\n")
    assert decode(text.encode("cp1251")) == (text, "cp1251")


def test_pep263_declaration_is_honoured() -> None:
    text = "# -*- coding: latin-1 -*-\n# Author: José Pérez\n" + CODE
    assert decode(text.encode("latin-1")) == (text, "iso8859-1")


def test_iso2022_jp_is_recognised_by_its_escapes() -> None:
    text = "日本語のテキストです。\nこんにちは、世界。\n"
    assert decode(text.encode("iso2022_jp")) == (text, "iso2022_jp_2")


def test_too_short_to_tell_is_refused_not_guessed() -> None:
    with pytest.raises(NotText) as caught:
        decode("你好，世界".encode("gbk"))
    assert caught.value.reason == "undecodable (not valid UTF-8/UTF-16 or a known legacy encoding)"


def test_invalid_utf8_after_a_bom_is_undecodable() -> None:
    with pytest.raises(NotText) as caught:
        decode(codecs.BOM_UTF8 + b"ok \xff\xfe\xfd")
    assert caught.value.reason.startswith("undecodable")


def test_crlf_becomes_lf() -> None:
    assert decode(b"one\r\ntwo\r\n") == ("one\ntwo\n", "utf-8")


def test_crlf_becomes_lf_in_utf16_and_legacy_text() -> None:
    assert decode(codecs.BOM_UTF16_LE + "a\r\nb".encode("utf-16-le")) == ("a\nb", "utf-16-le")
    assert decode(FRENCH.replace("\n", "\r\n").encode("cp1252")) == (FRENCH, "cp1252")


def test_lone_cr_is_kept() -> None:
    assert decode(b"old\rmac\r") == ("old\rmac\r", "utf-8")


def test_ansi_colours_are_text() -> None:
    log = b"\x1b[32mPASSED\x1b[0m test_one\n\x1b[31mFAILED\x1b[0m test_two\n"
    assert decode(log) == (log.decode(), "utf-8")


def test_text_that_starts_like_a_pe_header_is_text() -> None:
    assert decode(b"MZ stands for Mark Zbikowski.\n") == ("MZ stands for Mark Zbikowski.\n", "utf-8")


def _reject(data: bytes) -> NotText:
    with pytest.raises(NotText) as caught:
        decode(data)
    return caught.value


def test_png_header_is_binary() -> None:
    error = _reject(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    assert (error.reason, error.detail, str(error)) == ("binary", "PNG image", "binary")


def test_elf_header_is_binary() -> None:
    error = _reject(b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00")
    assert (error.reason, error.detail) == ("binary", "ELF executable")


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP archive (zip, jar, wheel, docx...)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip archive"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "Java class or Mach-O universal binary"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "Mach-O executable"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "PE/DOS executable"),
        (b"SQLite format 3\x00\x10\x00", "SQLite database"),
        (b"wOF2\x00\x01\x00\x00", "WOFF2 font"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP image"),
    ],
)
def test_magic_numbers_are_binary(data: bytes, detail: str) -> None:
    error = _reject(data)
    assert (error.reason, error.detail) == ("binary", detail)


def test_random_bytes_with_nul_are_binary() -> None:
    data = random.Random(0).randbytes(4096)
    assert b"\x00" in data
    assert _reject(data).reason == "binary"


def test_control_characters_without_nul_are_binary() -> None:
    error = _reject(bytes(range(1, 32)) * 40)
    assert (error.reason, error.detail) == ("binary", "control characters")


def test_utf8_text_with_a_nul_is_binary() -> None:
    assert _reject(b"abc\x00def\n").reason == "binary"


def test_a_single_nul_character_makes_even_bom_text_binary() -> None:
    error = _reject(codecs.BOM_UTF8 + b"x" * 1000 + b"\x00")
    assert (error.reason, error.detail) == ("binary", "NUL characters")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_give_text_or_not_text(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except NotText as error:
        assert error.reason == "binary" or error.reason.startswith("undecodable")
        return
    assert isinstance(text, str)
    assert "\r\n" not in text
    assert codecs.lookup(encoding).name == encoding


_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))


@settings(max_examples=300, deadline=None)
@given(st.text(_PRINTABLE, max_size=500).filter(lambda text: not text.startswith("\ufeff")))
def test_utf8_text_comes_back_unchanged(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")

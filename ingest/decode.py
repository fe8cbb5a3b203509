"""Turn a file's bytes into text, or say honestly why not.

The order of checks keeps the common case cheap: a byte-order mark, a binary
magic number, NUL bytes (UTF-16/32 without a BOM, or binary), then strict UTF-8,
which is what nearly every file in a repository is. Only bytes that are not
valid UTF-8 reach charset-normalizer, and its guess is refused when it is not
clearly better than the alternatives: skipping a file honestly beats packing
mojibake. Nothing is ever decoded with replacement characters.

The text comes back as decoded, with two exceptions: a byte-order mark is
stripped, and ``\\r\\n`` becomes ``\\n`` so that token counts and packed output
do not depend on the platform that checked the file out. A lone ``\\r`` (old
Mac line ends) is left alone. The encoding is Python's canonical codec name
(``codecs.lookup(name).name``), so ``data.decode(encoding)`` reproduces it.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # charset-normalizer is imported where it is used: most text is UTF-8
    from charset_normalizer import CharsetMatch, CharsetMatches

_UNDECODABLE = "undecodable (not valid UTF-8/UTF-16 or a known legacy encoding)"
_BINARY = "binary"

# Byte-order marks, longest first: the UTF-32LE mark starts with the UTF-16LE one.
# Reported names say which mark was stripped: utf-8-sig, utf-16-le... The rest
# after the mark is decoded with the plain codec.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# File signatures. Those made of printable ASCII are long or odd enough that no
# real text file starts with them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (zip, jar, wheel, docx...)"),
    (b"PK\x05\x06", "ZIP archive (zip, jar, wheel, docx...)"),
    (b"PK\x07\x08", "ZIP archive (zip, jar, wheel, docx...)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh91AY&SY", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"7z\xbc\xaf'\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"!<arch>\n", "ar archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O universal binary"),
    (b"\x00asm", "WebAssembly module"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"OTTO\x00", "OpenType font"),
    (b"\x00\x01\x00\x00\x00", "TrueType font"),
    (b"OggS\x00", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\xac\xed\x00\x05", "Java serialized object"),
)
_MAGIC_PREFIXES = tuple(magic for magic, _ in _MAGIC)
# "MZ" is printable, so a PE/DOS executable also needs a NUL in its header.
_PE_MAGIC = b"MZ"
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

# C0 controls other than \t \n \v \f \r, SUB (old DOS end-of-file) and ESC
# (ANSI colours in logs); DEL; C1 controls, which real text never contains.
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f-\x9f]")
# The same C0 set and DEL as bytes, counted before decoding (for UTF-8 and legacy
# code pages, where each is one byte): `bytes.translate` deletes all the others.
# C1 controls are two bytes in UTF-8 and not looked for there; binary data that
# happens to be valid UTF-8 without a NUL is rare enough already.
_CONTROL_BYTES = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1A)) + bytes(range(0x1C, 0x20)) + b"\x7f"
_NOT_CONTROL_BYTES = bytes(byte for byte in range(256) if byte not in _CONTROL_BYTES)
_MAX_CONTROL_RATIO = 0.05
_MAX_CONTROL_RATIO_WIDE = 0.01  # UTF-16/32 guessed without a BOM: be stricter.

# UTF-16/32 without a BOM: text that is at least this ASCII is accepted as it
# decodes; text with fewer ASCII characters must also satisfy charset-normalizer.
_WIDE_MIN_ASCII_SHARE = 0.5
_WIDE_MIN_COHERENCE = 0.1

# ISO-2022-JP switches to double-byte sets with ESC $ ...; ANSI colours use ESC [.
_ISO2022_JP_ESCAPE = b"\x1b$"

# Legacy encodings: what charset-normalizer sees and how much we trust it.
_SAMPLE_LIMIT = 64 * 1024
_DECLARATION = re.compile(rb"coding[:=]|encoding=|charset=", re.IGNORECASE)
_MAX_CHAOS = 0.1
_CHAOS_TIE = 0.02
_COHERENCE_LEAD = 0.25
# Without a language signal, the commonest legacy encoding of source code wins
# when it decodes as cleanly as the best guess.
_PRIOR = "cp1252"
# Without a BOM these are handled by the NUL pattern above, or not at all.
_NOT_LEGACY = ["utf_8", "utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]


class NotText(Exception):
    """Raised by `decode` with a short human `reason`: 'binary' or 'undecodable (...)'.

    `detail` says what gave it away ('PNG image', 'NUL bytes'...), for logs and tests.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); raise NotText for binary or undecodable data."""
    text, encoding = _decode(data)
    if b"\r" in data:  # every supported encoding keeps a 0x0D byte for "\r"
        text = text.replace("\r\n", "\n")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    """Try, in order: BOM, magic number, NULs (UTF-16/32 or binary), UTF-8, legacy."""
    if not data:
        return "", "utf-8"
    bom = _bom_decode(data)
    if bom is not None:
        return _judged(*bom)
    _reject_magic(data)
    if b"\x00" in data:
        return _judged(*_decode_wide(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _judged(*_decode_legacy(data))
    _reject_control_bytes(data)
    return _decode_iso2022_jp(data) or (text, "utf-8")


def _judged(text: str, encoding: str) -> tuple[str, str]:
    """Pass decoded text through, unless NULs or control characters say it is binary."""
    if "\x00" in text:
        raise NotText(_BINARY, "NUL characters")
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise NotText(_BINARY, "control characters")
    return text, encoding


def _reject_control_bytes(data: bytes) -> None:
    """The fast path's check on raw bytes: in UTF-8 and legacy code pages C0 controls are single bytes."""
    if len(data.translate(None, _NOT_CONTROL_BYTES)) > _MAX_CONTROL_RATIO * len(data):
        raise NotText(_BINARY, "control characters")


def _bom_decode(data: bytes) -> tuple[str, str] | None:
    """Decode data that starts with a byte-order mark, or None if it has none."""
    for bom, encoding, codec in _BOMS:
        if not data.startswith(bom):
            continue
        try:
            return data[len(bom) :].decode(codec), encoding
        except UnicodeDecodeError:
            if bom == codecs.BOM_UTF32_LE:
                continue  # maybe a UTF-16LE mark followed by U+0000
            raise NotText(_UNDECODABLE, f"invalid {encoding} after its byte-order mark") from None
    return None


def _reject_magic(data: bytes) -> None:
    """Raise NotText('binary') when the data starts with a known file signature."""
    if data.startswith(_MAGIC_PREFIXES):
        raise NotText(_BINARY, next(kind for magic, kind in _MAGIC if data.startswith(magic)))
    if data.startswith(_PE_MAGIC) and b"\x00" in data[:64]:
        raise NotText(_BINARY, "PE/DOS executable")
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        raise NotText(_BINARY, _RIFF_KINDS[data[8:12]])


def _decode_wide(data: bytes) -> tuple[str, str]:
    """Decode NUL-bearing data as BOM-less UTF-32/UTF-16 when the text convinces; else binary.

    Mostly-ASCII text convinces on its own: read in the wrong byte order, or from
    binary data, it would come out as CJK or control characters. Other text (CJK,
    Cyrillic) must also satisfy charset-normalizer.
    """
    for encoding in _wide_candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) > _MAX_CONTROL_RATIO_WIDE:
            continue
        if _mostly_ascii(text) or _confirmed(data, encoding):
            return text, encoding
    raise NotText(_BINARY, "NUL bytes")


def _wide_candidates(data: bytes) -> list[str]:
    """BOM-less UTF-32/UTF-16 readings worth trying, likeliest first.

    BMP text in UTF-32 has two NUL bytes in every code unit. In UTF-16 each ASCII
    character has a NUL high byte, at odd offsets (LE) or even ones (BE).
    """
    size = len(data)
    if size % 4 == 0 and _zero_columns(data, (2, 3)):
        return ["utf-32-le"]
    if size % 4 == 0 and _zero_columns(data, (0, 1)):
        return ["utf-32-be"]
    if size % 2:
        return []
    if data[1::2].count(0) >= data[0::2].count(0):
        return ["utf-16-le", "utf-16-be"]
    return ["utf-16-be", "utf-16-le"]


def _zero_columns(data: bytes, columns: tuple[int, int]) -> bool:
    """Whether the bytes at these offsets (mod 4) are all NUL, as in BMP text in UTF-32."""
    quarter = len(data) // 4
    return all(data[column::4].count(0) == quarter for column in columns)


def _mostly_ascii(text: str) -> bool:
    """Whether enough of the text is ASCII for its NUL pattern alone to be convincing."""
    return len(text.encode("ascii", "ignore")) >= _WIDE_MIN_ASCII_SHARE * len(text)


def _confirmed(data: bytes, encoding: str) -> bool:
    """Whether charset-normalizer reads BOM-less UTF-16/32 as clean text in some language."""
    sample, codec = _wide_sample(data, encoding), encoding.replace("-", "_")
    try:
        from charset_normalizer import from_bytes

        results = from_bytes(sample, threshold=_MAX_CHAOS, cp_isolation=[codec], enable_fallback=False)
    except Exception:  # a heuristic library's bug must not crash ingest: treat as unconfirmed
        return False
    best = results.best()
    return best is not None and best.chaos < _MAX_CHAOS and best.coherence >= _WIDE_MIN_COHERENCE


def _wide_sample(data: bytes, encoding: str) -> bytes:
    """The first 64 KiB of UTF-16/32 data, without a surrogate pair cut in half at the end."""
    sample = data[:_SAMPLE_LIMIT]
    high = sample[-1] if encoding == "utf-16-le" else sample[-2] if encoding == "utf-16-be" else 0
    cut_pair = len(data) > _SAMPLE_LIMIT and 0xD8 <= high <= 0xDB
    return sample[:-2] if cut_pair else sample


def _control_ratio(text: str) -> float:
    """Share of control characters that text does not use, measured on the first 64 Ki characters."""
    if _CONTROL.search(text) is None:
        return 0.0
    head = text[:_SAMPLE_LIMIT]
    return len(_CONTROL.findall(head)) / len(head)


def _decode_iso2022_jp(data: bytes) -> tuple[str, str] | None:
    """Decode 7-bit ISO-2022-JP (old Japanese mail and source), which is also valid ASCII."""
    if _ISO2022_JP_ESCAPE not in data:
        return None
    try:
        return data.decode("iso2022_jp_2"), "iso2022_jp_2"
    except UnicodeDecodeError:
        return None


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 data with a legacy encoding that charset-normalizer is sure of."""
    _reject_control_bytes(data)  # before the costly guess: random binary fails here
    encoding = _guess_legacy(_legacy_sample(data))
    if encoding is None:
        raise NotText(_UNDECODABLE, "no confident legacy encoding")
    try:
        return data.decode(encoding), codecs.lookup(encoding).name
    except UnicodeDecodeError:
        raise NotText(_UNDECODABLE, f"not valid {encoding} past the sample") from None


def _legacy_sample(data: bytes) -> bytes:
    """The lines that hold non-ASCII bytes (plus an encoding declaration), capped.

    Mostly-ASCII source with a few accented comments would drown the signal:
    every candidate decodes the ASCII alike, so only the other lines are judged.
    """
    head = data.split(b"\n", 2)[:2]
    lines = [line for line in head if line.isascii() and _DECLARATION.search(line)]
    size = sum(map(len, lines))
    for line in data.split(b"\n"):
        if size >= _SAMPLE_LIMIT:
            break
        if not line.isascii():
            lines.append(_cut(line))
            size += len(lines[-1]) + 1
    return b"\n".join(lines)


def _cut(line: bytes) -> bytes:
    """Shorten an over-long line at a space, which no multi-byte character contains."""
    if len(line) <= _SAMPLE_LIMIT:
        return line
    space = line.rfind(b" ", 0, _SAMPLE_LIMIT)
    return line[:space] if space > 0 else line


def _guess_legacy(sample: bytes) -> str | None:
    """The encoding to decode with, or None when no guess is clearly good enough."""
    try:
        from charset_normalizer import from_bytes

        results = from_bytes(sample, threshold=_MAX_CHAOS, cp_exclusion=_NOT_LEGACY, enable_fallback=False)
    except Exception:  # a heuristic library's bug must not crash ingest: treat as no guess
        return None
    best = results.best()
    if best is None or best.chaos >= _MAX_CHAOS:
        return None
    return _confident_choice(results, best)


def _confident_choice(results: CharsetMatches, best: CharsetMatch) -> str | None:
    """Pick among near-ties: the only reading, a clear language winner, or the prior."""
    tied = [match for match in results if match.chaos <= best.chaos + _CHAOS_TIE]
    readings = {str(match) for match in tied}
    if len(readings) == 1:
        return _prefer_prior(best)
    leader = max(tied, key=lambda match: match.coherence)
    rivals = [match.coherence for match in tied if str(match) != str(leader)]
    if leader.coherence - max(rivals) >= _COHERENCE_LEAD:
        return _prefer_prior(leader)
    return _PRIOR if any(_PRIOR in match.could_be_from_charset for match in tied) else None


def _prefer_prior(match: CharsetMatch) -> str:
    """Report cp1252 rather than a rarer code page that decodes the sample identically."""
    return _PRIOR if _PRIOR in match.could_be_from_charset else match.encoding

"""Secret redaction: each kind replaced in place, exact line numbers, and no mangled ordinary code."""

from __future__ import annotations

import hashlib
import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.documents import Redaction
from ingest.redact import redact

_B62 = string.ascii_letters + string.digits


def noise(seed: str, size: int) -> str:
    """Deterministic base62 noise. Secrets are built at run time so this file holds none verbatim."""
    digest = b"".join(hashlib.sha256(f"{seed}{i}".encode()).digest() for i in range(size // 32 + 1))
    return "".join(_B62[b % 62] for b in digest[:size])


AWS_ID = "AKIA" + "Q3EGRJ5LZWD7YV2N"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzZ1abcdEFG"
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0" + noise("pat", 40)
GITLAB = "glpat-" + "x7Kp2Qm9Rt4Vw8Yz1Ab3"
SLACK = "xoxb-" + "2145678901-3345678901234-" + noise("slack", 24)
SLACK_PATH = "T024BE7LD/B01AB2CD3EF/" + "Zq8Yw7Xv6Ut5Sr4Qp3On2Ml1"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GOOGLE = "AIza" + "SyD3x8Kq2Lm9Np4Rs7Tv1Wx5Yz0Ab6Cd8Ef"
OPENAI = "sk-" + noise("openai", 48)
OPENAI_PROJ = "sk-proj-" + noise("proj", 60) + "_" + noise("proj2", 60)
ANTHROPIC = "sk-ant-api03-" + noise("ant", 80) + "-" + noise("ant2", 10) + "AA"
JWT = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0." + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
PEM_BODY = "\n".join(noise(f"pem{i}", 64) for i in range(4)) + "\nAbCd+/=="


def one(kind: str) -> tuple[Redaction, ...]:
    """The report for a one-line text holding one secret."""
    return (Redaction(kind=kind, line=1),)


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        (f"aws_access_key_id = {AWS_ID}\n", "aws_access_key_id = [REDACTED:aws-access-key]\n", "aws-access-key"),
        (f'"AccessKeyId": "ASIA{AWS_ID[4:]}"', '"AccessKeyId": "[REDACTED:aws-access-key]"', "aws-access-key"),
        (f"aws_secret_access_key = {AWS_SECRET}", "aws_secret_access_key = [REDACTED:aws-secret-key]", "aws-secret-key"),
        (f'AWS_SECRET_ACCESS_KEY="{AWS_SECRET}"', 'AWS_SECRET_ACCESS_KEY="[REDACTED:aws-secret-key]"', "aws-secret-key"),
        (f'"SecretAccessKey": "{AWS_SECRET}"', '"SecretAccessKey": "[REDACTED:aws-secret-key]"', "aws-secret-key"),
        (f"AWS_SECRET_KEY: {AWS_SECRET}", "AWS_SECRET_KEY: [REDACTED:aws-secret-key]", "aws-secret-key"),
        (f"git clone https://{GITHUB}@github.com/o/r", "git clone https://[REDACTED:github-token]@github.com/o/r",
         "github-token"),
        (f"GH_TOKEN={GITHUB_PAT}", "GH_TOKEN=[REDACTED:github-token]", "github-token"),
        (f"gitlab: {GITLAB}", "gitlab: [REDACTED:gitlab-token]", "gitlab-token"),
        (f"slack = '{SLACK}'", "slack = '[REDACTED:slack-token]'", "slack-token"),
        (f"url: https://hooks.slack.com/services/{SLACK_PATH}",
         "url: https://hooks.slack.com/services/[REDACTED:slack-webhook]", "slack-webhook"),
        (f"stripe.api_key = '{STRIPE}'", "stripe.api_key = '[REDACTED:stripe-key]'", "stripe-key"),
        (f"key: rk_live_{STRIPE[8:]}", "key: [REDACTED:stripe-key]", "stripe-key"),
        (f'const key = "{GOOGLE}";', 'const key = "[REDACTED:google-api-key]";', "google-api-key"),
        (f"client = OpenAI(api_key='{OPENAI}')", "client = OpenAI(api_key='[REDACTED:openai-key]')", "openai-key"),
        (f"OPENAI_API_KEY={OPENAI_PROJ}", "OPENAI_API_KEY=[REDACTED:openai-key]", "openai-key"),
        (f"ANTHROPIC_API_KEY={ANTHROPIC}", "ANTHROPIC_API_KEY=[REDACTED:anthropic-key]", "anthropic-key"),
        (f"Authorization: Bearer {JWT}", "Authorization: Bearer [REDACTED:jwt]", "jwt"),
        ("DATABASE_URL=postgres://app:Zx81!kq9@db.internal:5432/app",
         "DATABASE_URL=postgres://app:[REDACTED:url-password]@db.internal:5432/app", "url-password"),
        ('u = "https://user:s3cr3tPw@host/"', 'u = "https://user:[REDACTED:url-password]@host/"', "url-password"),
    ],
)
def test_each_vendor_kind_is_replaced_in_place(text: str, expected: str, kind: str) -> None:
    assert redact(text) == (expected, one(kind))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('password = "Tr0ub4dor&3"', 'password = "[REDACTED:generic-secret]"'),  # Python
        ("self.api_key: str = 'Xk9mPq2vLz8wR4tY'", "self.api_key: str = '[REDACTED:generic-secret]'"),
        ('config["db_password"] = "hunter2hunter2"', 'config["db_password"] = "[REDACTED:generic-secret]"'),
        ('connect(password=b"9fK!2mQz#x")', 'connect(password=b"[REDACTED:generic-secret]")'),
        ("const apiKey = `a94a8fe5ccb19ba61c4c`;", "const apiKey = `[REDACTED:generic-secret]`;"),  # JS
        ("  clientSecret: '5f4dcc3b5aa765d6',", "  clientSecret: '[REDACTED:generic-secret]',"),
        ("  password: qR7#vL2$wZ9k", "  password: [REDACTED:generic-secret]"),  # YAML
        ('{"access_token": "ya29.a0AfH6SMBx3"}', '{"access_token": "[REDACTED:generic-secret]"}'),  # JSON
        ("SECRET_KEY=k8s9df7g6h5j2l", "SECRET_KEY=[REDACTED:generic-secret]"),  # .env
        ("passwd = Zq9!xw8#Yv7", "passwd = [REDACTED:generic-secret]"),  # INI
        ("'private_key' => 'mK8#pL3qR9vX',", "'private_key' => '[REDACTED:generic-secret]',"),  # PHP
        ("//registry.npmjs.org/:_authToken=9b3d2f1e7a6c5b4d", "//registry.npmjs.org/:_authToken=[REDACTED:generic-secret]"),
        ("GET /revoke?token=h480djs93hd8x&hint=refresh", "GET /revoke?token=[REDACTED:generic-secret]&hint=refresh"),
    ],
)
def test_generic_secret_assignments_in_many_syntaxes(text: str, expected: str) -> None:
    assert redact(text) == (expected, one("generic-secret"))


def test_private_key_body_is_replaced_keeping_begin_and_end_lines() -> None:
    text = f"key = '''\n-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----\n'''\nx = 1\n"
    expected = "key = '''\n-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\n-----END RSA PRIVATE KEY-----\n'''\nx = 1\n"
    assert redact(text) == (expected, (Redaction("private-key", 3),))


@pytest.mark.parametrize(
    "label", ["PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]
)
def test_private_key_labels(label: str) -> None:
    text = f"-----BEGIN {label}-----\n{PEM_BODY}\n-----END {label}-----"
    expected = f"-----BEGIN {label}-----\n[REDACTED:private-key]\n-----END {label}-----"
    assert redact(text) == (expected, (Redaction("private-key", 2),))  # the line the key body starts on


def test_private_key_with_pem_headers_and_json_escapes() -> None:
    headers = "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\n"
    text = f"-----BEGIN RSA PRIVATE KEY-----\n{headers}{PEM_BODY}\n-----END RSA PRIVATE KEY-----"
    assert redact(text)[0] == "-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private-key]\n-----END RSA PRIVATE KEY-----"
    body = PEM_BODY.replace("\n", "\\n")
    text = f'{{"private_key": "-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n"}}'
    expected = '{"private_key": "-----BEGIN PRIVATE KEY-----\\n[REDACTED:private-key]\\n-----END PRIVATE KEY-----\\n"}'
    assert redact(text) == (expected, one("private-key"))


def test_several_secrets_report_original_lines_sorted_by_line_then_kind() -> None:
    text = (
        "import os\n"
        f"AWS = ('{AWS_ID}', '{AWS_SECRET}')\n"
        "-----BEGIN PRIVATE KEY-----\n"
        f"{PEM_BODY}\n"
        "-----END PRIVATE KEY-----\n"
        f"token = '{GITHUB}'  # and {JWT}\n"
        "password = 'Zq9!xw8#Yv7'\n"
    )
    expected = (
        "import os\n"
        "AWS = ('[REDACTED:aws-access-key]', '" + AWS_SECRET + "')\n"
        "-----BEGIN PRIVATE KEY-----\n"
        "[REDACTED:private-key]\n"
        "-----END PRIVATE KEY-----\n"
        "token = '[REDACTED:github-token]'  # and [REDACTED:jwt]\n"
        "password = '[REDACTED:generic-secret]'\n"
    )
    assert redact(text) == (
        expected,
        (
            Redaction("aws-access-key", 2),
            Redaction("private-key", 4),
            Redaction("github-token", 10),
            Redaction("jwt", 10),
            Redaction("generic-secret", 11),
        ),
    )


def test_vendor_kind_wins_over_generic_and_url_password_over_generic() -> None:
    assert redact(f'GITHUB_TOKEN = "{GITHUB}"') == ('GITHUB_TOKEN = "[REDACTED:github-token]"', one("github-token"))
    text = 'password = "redis://:Zq9xw8Yv7@cache:6379"'
    assert redact(text) == ('password = "redis://:[REDACTED:url-password]@cache:6379"', one("url-password"))


def test_offsets_stay_aligned_after_characters_that_lowercase_to_two() -> None:
    text = "# İstanbul İ\npassword = 'Zq9!xw8#Yv7'"
    assert redact(text) == ("# İstanbul İ\npassword = '[REDACTED:generic-secret]'", (Redaction("generic-secret", 2),))


def test_redacted_output_is_stable() -> None:
    pem = f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\n"
    text = f"password = 'Zq9!xw8#Yv7'\nurl = https://u:Zx81!kq9@h/\nkey = {GITHUB}\n{pem}{JWT}\n"
    once, _ = redact(text)
    assert redact(once) == (once, ())


ORDINARY = [
    'password = os.environ["PASSWORD"]',
    'password = os.getenv("DB_PASSWORD", "")',
    "token = get_token()",
    "token = request.headers.get('Authorization')",
    "api_key: str",
    "api_key: Optional[str] = None",
    "secret_key = settings.SECRET_KEY",
    "SECRET_KEY = env('SECRET_KEY')",
    'password = "password123"',
    'password = "Password123"',
    'password = "changeme"',
    'password = "your-api-key"',
    'api_key = "xxxxxxxxxxxxxxxx"',
    'api_key = "<YOUR_API_KEY>"',
    'token = "${GITHUB_TOKEN}"',
    "token: ${{ secrets.GITHUB_TOKEN }}",
    "password: {{ .Values.db.password }}",
    'password = "%(password)s"',
    '"password": "<your password>"',
    '"password": "Enter your password"',
    '"password": "Passwort"',
    '"pad_token": "<|endoftext|>"',
    '"mask_token": "[MASK]"',
    "max_tokens = 4096",
    "token_type = 'bearer_token_type'",
    "tokenizer = 'bert-base-uncased'",
    "{ token: accessToken, password: userPasswordInput2 }",
    "const token = this.authService.currentToken;",
    "if token == 'abcdef123456xyz':",
    "lambda token: token.strip()",
    'def sign(self, private_key: "_RSAPrivateKey", data: bytes) -> bytes:',
    "    private_key: rsa.RSAPrivateKey, f_priv: _FragList",
    "password_hash = 'pbkdf2_sha256$260000$abc'",
    '<input type="password" name="password" autocomplete="current-password">',
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",
    'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    'hash = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    '"integrity": "sha512-9ZkB1Tj5Ld2wA3xQp0ZlJc8Zx0Y1qYk5fG3HnB7v+WmL2sD8kQ=="',
    "id = '123e4567-e89b-12d3-a456-426614174000'",
    "img = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='",
    "DATABASE_URL = 'postgres://user:${PASS}@db/x'",
    "url = 'postgres://user:password@localhost/db'",
    "url = 'postgres://postgres:mysecretpassword@localhost/db'",
    "url = 'mysql://root:<password>@localhost/db'",
    "url = 'https://user:***@host/'",
    "url = f'postgresql://{user}:{password}@{host}/{db}'",
    "uses: docker://alpine:3.18@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1",
    "git_url = 'ssh://git@github.com:org/repo.git'",
    "https://user%20name:p%40ssword@example.com and http://user:pass%20pass@host/",
    "https://jo%40email.com:a%20secret@example.de:1234/",
    "expected = \"URL('http://example-username:[secure]@example.org/')\"",
    "  - DATABASE_PASSWORD=/run/secrets/db-password",
    "var autoToken = /\\s?auto?\\s?/i",
    "AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE'",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "token = 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
    "SLACK_WEBHOOK = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'",
    "classes = 'sk-loading-spinner-wrapper-component-large'",
    "-----BEGIN PRIVATE KEY-----",
    'PEM = b"-----BEGIN RSA PRIVATE KEY-----"; END = b"-----END RSA PRIVATE KEY-----"',
    "    pass",
    "Hello, world. Nothing to see here: just prose, 42 numbers and a://weird@url.",
]


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_code_is_left_alone(line: str) -> None:
    out, found = redact(line)
    assert found == () and out is line


def test_ordinary_corpus_as_one_file_is_returned_as_the_same_object() -> None:
    text = "\n".join(ORDINARY) + "\n"
    out, found = redact(text)
    assert found == () and out is text
    assert redact("") == ("", ())


def test_pathological_inputs_stay_linear() -> None:
    """Unterminated PEM bodies and runs of triggers must not backtrack quadratically."""
    texts = [
        "-----BEGIN PRIVATE KEY-----\nA" + " " * 200_000 + "B",
        "-----BEGIN PRIVATE KEY-----\n" * 2_000,
        "-----BEGIN PRIVATE KEY-----\nA" + "\\n" * 100_000 + "B",
        "eyJ" + "a" * 200_000,
        "://" * 100_000,
        "password: " * 20_000,
    ]
    start = time.perf_counter()
    for text in texts:
        assert redact(text) == (text, ())
    redact("token=" * 20_000)
    assert time.perf_counter() - start < 5


_FRAGMENTS = st.sampled_from(
    [
        "password", "token", "secret_key", "api_key", " = ", ": ", "=>", '"', "'", "`", "\n", "[", "]",
        "://", "user:", "@", "${", "İ", "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----",
        "AKIA", "ASIA", "ghp_", "github_pat_", "glpat-", "xoxb-", "sk-", "sk-ant-", "sk_live_", "AIza",
        "eyJ", ".", "hooks.slack.com/services/", "aws_secret_access_key=", "Zq9!xw8#Yv7", GITHUB, AWS_ID,
        JWT, "\\n", "\r\n",
    ]
)
_TEXTS = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=40)), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_never_raises_and_reports_every_change(text: str) -> None:
    out, found = redact(text)
    assert redact(text) == (out, found)  # deterministic
    if not found:
        assert out is text
    else:
        assert out != text and out.count("[REDACTED:") >= len(found)
        assert list(found) == sorted(found, key=lambda r: (r.line, r.kind))
        assert all(1 <= r.line <= text.count("\n") + 1 for r in found)

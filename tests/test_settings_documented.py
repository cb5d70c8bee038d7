import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _settings_variables() -> set[str]:
    # settings.py and the modules it reads (config/providers.py, bots.py, transcription.py, webhooks.py).
    source = "".join(path.read_text() for path in sorted((ROOT / "config").glob("*.py")))
    return set(re.findall(r'env(?:_bool|_int|_float)?\(\s*"([A-Z0-9_]+)"', source))


def test_every_setting_is_in_env_example_and_readme():
    names = _settings_variables()
    assert "DATABASE_URL" in names and "REDIS_URL" in names
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    missing_example = sorted(n for n in names if not re.search(rf"^{n}=", example, re.M))
    missing_readme = sorted(n for n in names if f"`{n}`" not in readme)
    assert not missing_example, f"not in .env.example: {missing_example}"
    assert not missing_readme, f"not in README.md: {missing_readme}"

"""Paths shared by the tests; puts tools/export on sys.path so `qvl_export` imports without installing."""
import sys
from pathlib import Path

EXPORT_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = EXPORT_DIR.parents[1]
TINY_PACKAGE = REPO_ROOT / "models" / "qwen3-vl-tiny"
GOLDEN_DIR = TINY_PACKAGE / "golden"

if str(EXPORT_DIR) not in sys.path:
    sys.path.insert(0, str(EXPORT_DIR))

"""The non-graph files of a package: config, generation config, preprocessor, tokenizer, chat template."""
import json
import shutil
from pathlib import Path

TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json"]
OPTIONAL_COPIES = ["preprocessor_config.json", "generation_config.json", "chat_template.jinja",
                   "chat_template.json", "TOKENIZER_LICENSE"]

# Qwen3-VL Instruct's generation defaults (model-package.md §0), written when the source has none.
DEFAULT_GENERATION_CONFIG = {
    "bos_token_id": 151643,
    "do_sample": False,
    "eos_token_id": [151645, 151643],
    "pad_token_id": 151643,
}


class PackageFileError(RuntimeError):
    """A file the package must contain is missing from every source."""


def write_config(model, out_dir):
    """config.json exactly as save_pretrained writes it."""
    model.config.save_pretrained(str(out_dir))


def copy_support_files(out_dir, sources, log):
    """Copies tokenizer, chat template and processor files from the first source folder that has each.

    sources: folders in priority order (e.g. the checkpoint, then --tokenizer-from). A checkpoint's LICENSE
    becomes TOKENIZER_LICENSE; chat_template.jinja and chat_template.json are derived from each other when one
    is missing.
    """
    out = Path(out_dir)
    folders = [Path(s) for s in sources if s is not None]
    for name in TOKENIZER_FILES + OPTIONAL_COPIES:
        found = next((f / name for f in folders if (f / name).is_file()), None)
        if found is None and name == "TOKENIZER_LICENSE":
            found = next((f / "LICENSE" for f in folders if (f / "LICENSE").is_file()), None)
        if found is None:
            if name in TOKENIZER_FILES:
                raise PackageFileError(f"{name} not found in any of {', '.join(map(str, folders))}")
            log(f"note: {name} not found in the sources")
            continue
        shutil.copyfile(found, out / name)
        log(f"copied {name} from {found.parent}")
    _complete_chat_template(out, log)
    if not (out / "generation_config.json").is_file():
        (out / "generation_config.json").write_text(json.dumps(DEFAULT_GENERATION_CONFIG, indent=2) + "\n",
                                                    encoding="utf-8")
        log("wrote default generation_config.json")
    if not (out / "preprocessor_config.json").is_file():
        raise PackageFileError("preprocessor_config.json not found in any source")
    if not (out / "chat_template.jinja").is_file():
        raise PackageFileError("no chat template (chat_template.jinja / chat_template.json / tokenizer_config.json)")


def _complete_chat_template(out, log):
    jinja = out / "chat_template.jinja"
    as_json = out / "chat_template.json"
    if not jinja.is_file() and as_json.is_file():
        jinja.write_text(json.loads(as_json.read_text(encoding="utf-8"))["chat_template"], encoding="utf-8")
        log("derived chat_template.jinja from chat_template.json")
    if not jinja.is_file():
        tokenizer_config = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
        if isinstance(tokenizer_config.get("chat_template"), str):
            jinja.write_text(tokenizer_config["chat_template"], encoding="utf-8")
            log("derived chat_template.jinja from tokenizer_config.json")
    if jinja.is_file() and not as_json.is_file():
        as_json.write_text(json.dumps({"chat_template": jinja.read_text(encoding="utf-8")}, indent=1) + "\n",
                           encoding="utf-8")
        log("derived chat_template.json from chat_template.jinja")

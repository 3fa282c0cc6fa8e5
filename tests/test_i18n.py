"""cnnlab speaks English (the source) or Vietnamese: cnnlab.i18n, the .po catalogue and the
compiled .mo. The catalogue must translate every message the code marks with ``tr``, with
the same ``{placeholders}``, and the .mo must be compiled from the current .po."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

import cnnlab
from cnnlab import i18n

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "cnnlab" / "locale" / "vi" / "LC_MESSAGES" / "cnnlab.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def marked_messages() -> set[str]:
    """Every string literal the code passes to tr(), as Babel extracts it."""
    found = extract_from_dir(
        str(ROOT / "cnnlab"), method_map=[("**.py", "python")], keywords={"tr": None}
    )
    return {message for _, _, message, *_ in found}


def catalogue():
    with PO.open("rb") as f:
        return read_po(f)


def test_the_code_marks_messages():
    messages = marked_messages()
    assert len(messages) >= 30 and "Correct {what}." in messages


def test_every_marked_message_has_a_vietnamese_translation():
    cat = catalogue()
    missing = sorted(m for m in marked_messages() if not (cat.get(m) and cat.get(m).string))
    assert not missing, f"{len(missing)} messages have no Vietnamese translation: {missing[:5]}"


def test_translations_keep_every_placeholder():
    for message in catalogue():
        if message.id:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)
            ), f"placeholders differ: {message.id!r} -> {message.string!r}"


def test_no_stale_or_fuzzy_entries():
    cat = catalogue()
    marked = marked_messages()
    stale = sorted(m.id for m in cat if m.id and m.id not in marked)
    assert not stale, f"translations of messages the code no longer has: {stale[:5]}"
    assert not [m.id for m in cat if m.id and m.fuzzy], "fuzzy entries need a translator's look"


def test_the_compiled_catalogue_is_up_to_date():
    buf = io.BytesIO()
    write_mo(buf, catalogue())
    buf.seek(0)
    fresh = {m.id: m.string for m in read_mo(buf) if m.id}
    with MO.open("rb") as f:
        shipped = {m.id: m.string for m in read_mo(f) if m.id}
    assert shipped == fresh, "cnnlab.mo is stale: run `pybabel compile -d cnnlab/locale -D cnnlab`"


def test_set_language_switches_the_messages():
    with pytest.raises(ValueError, match=r"padding >= 1"):
        cnnlab.conv_output_size(3, 5)
    cnnlab.set_language("vi")
    assert i18n.get_language() == "vi"
    with pytest.raises(ValueError, match=r"hãy dùng đệm >= 1 hoặc bộ lọc <= 3"):
        cnnlab.conv_output_size(3, 5)
    cnnlab.set_language("EN")
    assert i18n.get_language() == "en"


@pytest.mark.parametrize("bad", ["fr", "", None, 1, "vietnamese"])
def test_set_language_refuses_what_it_does_not_speak(bad):
    with pytest.raises(ValueError, match=r"language must be one of 'en', 'vi', got"):
        cnnlab.set_language(bad)


def test_the_environment_chooses_the_starting_language():
    code = "import cnnlab\ntry:\n    cnnlab.conv_params(3, 3, 10, bias='no')\nexcept ValueError as e:\n    print(e)"
    env = dict(os.environ, CNNLAB_LANG="vi")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "phải là True hoặc False" in out.stdout, out.stderr
    env["CNNLAB_LANG"] = "klingon"
    bad = subprocess.run(
        [sys.executable, "-c", "import cnnlab"], env=env, capture_output=True, text=True
    )
    assert bad.returncode != 0 and "language must be one of" in bad.stderr


def test_a_checker_hints_in_the_language_of_the_moment():
    from cnnlab.arithmetic import check

    hint = "Did you forget the padding? Padding adds p pixels on BOTH sides"
    assert hint in check.output_size_function(lambda n, f, p=0, s=1, d=1: n - f + 1).message
    cnnlab.set_language("vi")
    fb = check.output_size_function(lambda n, f, p=0, s=1, d=1: n - f + 1)
    assert not fb.ok and "Có phải bạn quên đệm?" in fb.message
    assert "hàm của bạn trả về" in fb.message
    assert check.same_padding_f5(2).message == "Chính xác (đệm)."
    cnnlab.set_language("en")
    assert check.same_padding_f5(2).message == "Correct padding."


def test_module_tables_of_messages_follow_the_language():
    from cnnlab.pooling import check

    assert check.EQUIVARIANCE_OPS["e"] == "ReLU on every pixel"
    cnnlab.set_language("vi")
    assert check.EQUIVARIANCE_OPS["e"] == "ReLU trên mọi điểm ảnh"
    assert set(check.EQUIVARIANCE_OPS) == set("abcdef")
    fb = check.equivariant_ops("ab")
    assert "sải bước" in fb.message
    cnnlab.set_language("en")
    assert dict(check.EQUIVARIANCE_OPS)["e"] == "ReLU on every pixel"


def test_a_widget_is_labelled_when_it_is_built():
    from cnnlab.pooling import widgets

    cnnlab.set_language("vi")
    box = widgets.pooling_explorer()
    assert box.controls["stride"].description == "sải bước"
    assert [label for label, _ in box.controls["mode"].options] == [
        "cực đại",
        "trung bình",
        "cực tiểu",
    ]
    assert box.controls["mode"].value == "max"  # the values the code compares stay English
    assert "Gộp: một cửa sổ cho mỗi ô đầu ra" in box.children[0].value
    box.controls["kernel"].value = 3
    box.controls["padding"].value = 2  # more than half the kernel: shown in place, in Vietnamese
    assert box.state["error"].startswith("đệm của phép gộp cực đại bằng một nửa")
    cnnlab.set_language("en")
    assert box.controls["stride"].description == "sải bước"  # built in Vietnamese, stays so
    assert widgets.pooling_explorer().controls["stride"].description == "stride"


def test_every_backward_case_says_what_is_new_in_both_languages():
    from cnnlab.pooling import backward_check

    marked = marked_messages()
    for case in backward_check.MAX_POOL_BACKWARD_CASES:
        assert case.what in marked, case.what
    cnnlab.set_language("vi")
    assert backward_check.case_what(backward_check.MAX_POOL_BACKWARD_CASES[-2]) == (
        "các cực đại bằng nhau"
    )


#: Errors that stay English on purpose: the language switch's own refusal (its reader may not
#: have a working catalogue yet).
ENGLISH_ERRORS = {"cnnlab/i18n.py"}


def _unmarked_errors(path: Path) -> list[str]:
    """``raise ValueError/TypeError(<text>)`` whose text is a plain or f-string, not tr(...)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        func, args = node.exc.func, node.exc.args
        if getattr(func, "id", None) not in {"ValueError", "TypeError"} or not args:
            continue
        text = args[0]
        while isinstance(text, ast.BinOp):  # "..." + "..." or "..." % x
            text = text.left
        if isinstance(text, ast.JoinedStr) or (
            isinstance(text, ast.Constant) and isinstance(text.value, str)
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_error_message_is_marked_for_translation():
    files = [
        p
        for p in sorted((ROOT / "cnnlab").rglob("*.py"))
        if str(p.relative_to(ROOT)) not in ENGLISH_ERRORS
    ]
    unmarked = [where for p in files for where in _unmarked_errors(p)]
    assert not unmarked, f"{len(unmarked)} error messages without tr(): {unmarked[:10]}"


def test_the_error_check_finds_an_unmarked_message(tmp_path, monkeypatch):
    bad = tmp_path / "bad.py"
    bad.write_text(
        'def f(x):\n    raise ValueError(f"x must be > 0, got {x}")\n'
        'def g(x):\n    raise TypeError(tr("fine {x}").format(x=x))\n'
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _unmarked_errors(bad) == ["bad.py:2"]

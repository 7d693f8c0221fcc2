"""The template is the one source of every table fact: no template label, header word or table key is
spelled as a string literal in extractors/ or pipeline/ (they read schemas/template.py instead). The same
holds for the pre-2019 statistics table: its labels, aliases, header words, markers and table key are
read from schemas/legacy.py.

Every module is scanned. Left out: docstrings, and the documentation of a check rule — the values of
`explanation=`, `example=` and `details=` arguments and the module constants passed as `details=` or named
EXAMPLES (real cases quoted from reports for docs/rules.md: a report's sentence is not a template fact).
"""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import regex as re

from extractors.tables.labels import normalize_label, split_numbering
from schemas import legacy as lg
from schemas import template as tpl

ROOT = Path(__file__).resolve().parents[1]
DOC_ARGS = ("explanation", "example", "details")  # keyword arguments that document a rule
DOC_CONSTANTS = ("EXAMPLES",)  # module constants of real cases quoted for docs/rules.md
# words that are also the narrative's own section headings (五、政府信息公开行政复议、行政诉讼情况), not table labels
# (the old reports' last section is the statistics table itself: 统计表 names the heading, not a table fact)
SECTION_WORDS = {("extractors/narrative/sections.py", "行政复议"), ("extractors/narrative/sections.py", "行政诉讼"),
                 ("extractors/narrative/sections.py", "统计表")}
MIN_LEN = 3  # shorter template words (总计, 其他, 维持) are everyday words of any prose
# the old table's year column (本年度) is also the prose's everyday word for the reporting year
PROSE_WORDS = {"本年度"}
TABLE_KEYS = (*tpl.TABLE_KEYS, lg.LEGACY)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def template_words() -> set[str]:
    """Every label, alias, group, header word and marker of the template and of the pre-2019 statistics
    table, and each label without numbering."""
    specs = (tpl.T2_2021, tpl.T2_2019, tpl.T3_SPEC, tpl.T4_SPEC, lg.LEGACY_SPEC)
    words: set[str] = set()
    for spec in specs:
        words |= {spec.label, *spec.header_words, *spec.col_groups, *spec.markers}
        for key in (*spec.rows, *spec.cols):
            words |= {key.label, *key.aliases, key.group}
    words |= {part for label in (*tpl.T4_GROUPS.values(), *tpl.T4_OUTCOMES.values()) for part in label.split("·")}
    words |= {tpl.T3_SECTION.label, *tpl.T3_SECTION.aliases, *tpl.T3_ROW_GROUPS.values()}
    words |= {w for table in (tpl.T4_GROUP_WORDS, tpl.T4_OUTCOME_WORDS) for ws in table.values() for w in ws}
    words |= {split_numbering(normalize_label(w))[1] for w in words}
    return {_norm(w) for w in words if len(_norm(w)) >= MIN_LEN} - PROSE_WORDS


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _rule_docs(tree: ast.AST) -> set[int]:
    """The string constants that document a rule (see the module docstring)."""
    roots: list[ast.AST] = []
    names = set(DOC_CONSTANTS)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in DOC_ARGS:
            roots.append(node.value)
            if isinstance(node.value, ast.Name):
                names.add(node.value.id)
    for node in getattr(tree, "body", []):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets) and node.value is not None:
                roots.append(node.value)
    return {id(n) for root in roots for n in ast.walk(root) if isinstance(n, ast.Constant)}


def literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module, f-string parts included, docstrings and rule docs left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _rule_docs(tree)
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


def offences(path: Path, words: set[str]) -> list[str]:
    rel = path.relative_to(ROOT).as_posix()
    out = []
    for line, text in literals(path):
        norm = _norm(text)
        hits = [w for w in words if w in norm and (rel, w) not in SECTION_WORDS]
        hits += [k for k in TABLE_KEYS if k in text]
        if hits:
            out.append(f"{rel}:{line}: {sorted(hits)[:3]} in {text[:60]!r}")
    return out


def _modules() -> list[Path]:
    return sorted((ROOT / "extractors").rglob("*.py")) + sorted((ROOT / "pipeline").rglob("*.py"))


def test_no_template_word_or_table_key_spelled_outside_schemas() -> None:
    words = template_words()
    assert {"自然人", "商业企业", "结果维持", "本年制发件数", "第二十条", "信息内容"} <= words
    # the old table's labels, aliases, header words and markers
    assert {"受理依申请公开信息总数", "否决公开答复总数", "政府信息公开收费减免金额", "历年累计", "指标名称",
            "计量单位", "政府信息公开情况统计表", "统计表"} <= words
    found = [o for path in _modules() for o in offences(path, words)]
    assert not found, "\n".join(found)


def test_the_scan_catches_a_restated_label(tmp_path) -> None:
    """A module restating a header word, a label inside a regex, or a table key is caught."""
    words = template_words()
    bad = ROOT / "extractors" / "_probe_restated.py"
    try:
        bad.write_text('A = "商业企业"\nB = r"本年新制作数量|采购总金额"\nC = f"{1}t4_review_litigation"\n'
                       'D = "不是模板的话"\nE = ("当面申请数", "计量单位")\nF = "t_legacy"\n'
                       'G = r"其中：1\\.网站公开"\n', encoding="utf-8")
        got = offences(bad, words)
    finally:
        bad.unlink()
    assert sorted(int(o.split(":")[1]) for o in got) == [1, 2, 3, 5, 5, 6, 7], got


def test_column_kinds_and_identity_conditions_come_from_the_template() -> None:
    kinds = tpl.col_kinds()
    assert kinds[(tpl.T2, "change")] == tpl.SIGNED
    assert {c for (t, c), k in kinds.items() if k == tpl.DECIMAL} == {"amount_10k_yuan", "amount_yuan"}
    assert all(k == tpl.COUNT for (t, _), k in kinds.items() if t != tpl.T2)
    conditional = {i.id: i.needs for i in tpl.IDENTITIES if i.needs}
    assert conditional == {"t3_handled_total": tpl.T3_OTHER_ROWS, "t3_handled_total_2019": ("other_total",),
                           "t3_org_subtotal": ("org_subtotal",)}
    assert all(getattr(a, "seen", "") for spec in (tpl.T2_2021, tpl.T2_2019, tpl.T3_SPEC)
               for k in (*spec.rows, *spec.cols) for a in k.aliases)


def test_rule_docs_are_left_out_but_a_rule_summary_or_message_is_scanned() -> None:
    """A rule's summary and its messages name template cells (derived from the template); its example and
    explanation quote reports and are not scanned."""
    words = template_words()
    bad = ROOT / "pipeline" / "_probe_rule_docs.py"
    try:
        bad.write_text('@rule("x", "表二“行政规范性文件”本年制发", example="商业企业 2.5",\n'
                       '      explanation="自然人 column", details=DOCS)\n'
                       'def f():\n    return f"而表三“予以公开”为{1}"\n'
                       'DOCS = (("a", "结果维持", "b"),)\nEXAMPLES = {"k": "行政复议 总计 0"}\n', encoding="utf-8")
        got = offences(bad, words)
    finally:
        bad.unlink()
    assert [o.split(":")[1] for o in got] == ["1", "4"], got

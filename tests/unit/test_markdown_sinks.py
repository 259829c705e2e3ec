"""Static check: no page passes text from the data or the URL unescaped to anything Streamlit
renders as Markdown (titles, headers, captions, alerts, metrics, widget labels and help).

A cadre named `[点击核验身份](https://…)` or a link `?cadre=![t](https://…)` would otherwise
become a link or an image the viewer's browser fetches. The rule, for every such argument in
app.py, pages/ and ui/: it is built only from string constants, labels (`t("key", …)` whose
values follow the same rule), numbers (`len`, `fmt.*`), `md(…)` of anything else, or local
names assigned only from those. A helper that forwards a label declares the parameter as
`Markdown` (analytics.common.text), and its callers are checked the same way.

What it cannot follow (an attribute, a subscript, a loop variable, another function's result)
counts as data: wrap it in md(). About 0.2 s.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import pytest

from analytics.common.config import PROJECT_ROOT

SOURCES = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py")),
           *sorted((PROJECT_ROOT / "ui").glob("*.py"))]  # fmt: skip

_TEXT = {"body", "label", "help", "text", "caption", "captions", "title"}
_METRIC_TEXT = {"value", "delta"}
_LABELLED = {
    "button", "download_button", "link_button", "form_submit_button", "checkbox", "toggle",
    "selectbox", "multiselect", "slider", "text_input", "text_area", "number_input",
    "date_input", "time_input", "file_uploader", "color_picker", "expander", "popover",
    "status", "spinner", "badge", "feedback", "chat_input", "radio", "pills",
    "segmented_control", "select_slider",
}  # fmt: skip
# Streamlit call → positional arguments rendered as Markdown (keywords: _TEXT).
SINKS: dict[str, tuple[int, ...]] = {
    **{name: (0,) for name in _LABELLED},
    **{name: (0,) for name in ("title", "header", "subheader", "markdown", "caption", "warning",
                               "info", "error", "success", "toast")},
    "write": (0, 1, 2, 3, 4, 5),
    "metric": (0, 1, 2),
    "progress": (1,),
    "page_link": (),
    "tabs": (0,),
}  # fmt: skip
# Widgets whose options (or what format_func makes of them) are Markdown too.
OPTIONS_AS_MARKDOWN = {"radio", "pills", "segmented_control", "select_slider"}
NUMERIC_CALLS = {"len", "int", "float", "round", "abs"}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    call: str
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}(… {self.source} …) — wrap it in md()"


def _markdown_params(trees: dict[str, ast.Module]) -> dict[str, dict[str | int, str]]:
    """Project functions with parameters annotated Markdown: name → {index or name: name}."""
    found: dict[str, dict[str | int, str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                params = [*node.args.posonlyargs, *node.args.args]
                marked: dict[str | int, str] = {}
                for i, arg in enumerate(params):
                    if _is_markdown_annotation(arg.annotation):
                        marked[i] = marked[arg.arg] = arg.arg
                for arg in node.args.kwonlyargs:
                    if _is_markdown_annotation(arg.annotation):
                        marked[arg.arg] = arg.arg
                if marked:
                    found[node.name] = marked
    return found


def _is_markdown_annotation(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    text = ast.unparse(annotation)
    return text in ("Markdown", "Markdown | None", "text.Markdown")


class _Scope:
    """Where a name is bound: a function (with its parameters) or the module."""

    def __init__(self, node: ast.AST, parent: _Scope | None, markdown_params: set[str]) -> None:
        self.node = node
        self.parent = parent
        self.markdown_params = markdown_params
        self.bindings: dict[str, list[ast.expr | None]] = {}
        body = node.body if isinstance(node, ast.Module | ast.FunctionDef) else []
        if isinstance(node, ast.FunctionDef):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                self.bindings.setdefault(arg.arg, []).append(None)
            for extra in (args.vararg, args.kwarg):
                if extra is not None:
                    self.bindings.setdefault(extra.arg, []).append(None)
        for stmt in body:
            for child in _walk_same_scope(stmt):
                self._bind(child)

    def _bind(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                value = node.value if isinstance(target, ast.Name) else None
                for name in _names(target):
                    self.bindings.setdefault(name, []).append(value)
        elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and isinstance(node.target, ast.Name):
            self.bindings.setdefault(node.target.id, []).append(node.value)
        elif isinstance(node, ast.AugAssign | ast.For | ast.AsyncFor):
            for name in _names(node.target):
                self.bindings.setdefault(name, []).append(None)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            for name in _names(node.optional_vars):
                self.bindings.setdefault(name, []).append(None)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                self.bindings.setdefault((alias.asname or alias.name).split(".")[0], [])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            self.bindings.setdefault(node.name, []).append(None)


def _walk_same_scope(node: ast.AST):
    """Every node of a statement, not descending into nested functions, lambdas or
    comprehensions (they bind their own names)."""
    yield node
    nested = (ast.FunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp,
              ast.GeneratorExp)  # fmt: skip
    if isinstance(node, nested):
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_same_scope(child)


def _names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


class _Checker:
    def __init__(self, path: str, tree: ast.Module, helpers: dict[str, dict[str | int, str]]):
        self.path = path
        self.helpers = helpers
        self.violations: list[Violation] = []
        self._visit(tree, _Scope(tree, None, set()), local=set())

    # ----- walking, with scopes -----
    def _visit(self, node: ast.AST, scope: _Scope, local: set[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef):
                marked = set(self.helpers.get(child.name, {}).values())
                self._visit(child, _Scope(child, scope, marked), set())
                continue
            if isinstance(child, ast.Lambda):
                self._visit(child, scope, local | {a.arg for a in child.args.args})
                continue
            if isinstance(child, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                bound = {n for g in child.generators for n in _names(g.target)}
                self._visit(child, scope, local | bound)
                continue
            if isinstance(child, ast.Call):
                self._check_call(child, scope, local)
            self._visit(child, scope, local)

    def _check_call(self, call: ast.Call, scope: _Scope, local: set[str]) -> None:
        name = _callee(call)
        if name is None:
            return
        if name == "table" and _is_streamlit(call):
            self._flag(call, name, call)  # st.table renders every cell as Markdown
            return
        if name in SINKS and _is_streamlit(call):
            for i in SINKS[name]:
                if i < len(call.args):
                    self._require(call.args[i], call, name, scope, local)
            for kw in call.keywords:
                if (kw.arg in _TEXT or (name == "metric" and kw.arg in _METRIC_TEXT)
                        or (kw.arg == "options" and name in OPTIONS_AS_MARKDOWN)):  # fmt: skip
                    self._require(kw.value, call, name, scope, local)
            if name in OPTIONS_AS_MARKDOWN:
                self._check_options(call, name, scope, local)
        elif name in self.helpers:
            marked = self.helpers[name]
            for i, arg in enumerate(call.args):
                if i in marked:
                    self._require(arg, call, name, scope, local)
            for kw in call.keywords:
                if kw.arg in marked:
                    self._require(kw.value, call, name, scope, local)

    def _check_options(self, call: ast.Call, name: str, scope: _Scope, local: set[str]) -> None:
        fmt_func = next((kw.value for kw in call.keywords if kw.arg == "format_func"), None)
        if fmt_func is None:
            if len(call.args) > 1:
                self._require(call.args[1], call, name, scope, local)
            return
        if isinstance(fmt_func, ast.Lambda):
            self._require(fmt_func.body, call, name, scope,
                          local | {a.arg for a in fmt_func.args.args})  # fmt: skip
        else:
            self._flag(call, name, fmt_func)

    def _require(self, node: ast.expr, call: ast.Call, name: str, scope: _Scope,
                 local: set[str]) -> None:  # fmt: skip
        bad = self._unsafe(node, scope, local, set())
        if bad is not None:
            self._flag(call, name, bad)

    def _flag(self, call: ast.Call, name: str, node: ast.AST) -> None:
        self.violations.append(Violation(self.path, call.lineno, name, ast.unparse(node)[:80]))

    # ----- the rule -----
    def _unsafe(self, node: ast.expr, scope: _Scope, local: set[str],
                seen: set[tuple[int, str]]) -> ast.AST | None:  # fmt: skip
        """The first part of `node` that may carry data, or None when it is all safe."""

        def first(*parts: ast.expr | None) -> ast.AST | None:
            for part in parts:
                if part is not None:
                    bad = self._unsafe(part, scope, local, seen)
                    if bad is not None:
                        return bad
            return None

        if isinstance(node, ast.Constant):
            return None
        if isinstance(node, ast.JoinedStr):
            return first(*node.values)
        if isinstance(node, ast.FormattedValue):
            return first(node.value)
        if isinstance(node, ast.BinOp):
            return first(node.left, node.right)
        if isinstance(node, ast.IfExp):
            return first(node.body, node.orelse)
        if isinstance(node, ast.BoolOp):
            return first(*node.values)
        if isinstance(node, ast.Compare):
            return None  # True or False
        if isinstance(node, ast.UnaryOp):
            return first(node.operand)
        if isinstance(node, ast.List | ast.Tuple):
            return first(*node.elts)
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            bound = {n for g in node.generators for n in _names(g.target)}
            return self._unsafe(node.elt, scope, local | bound, seen)
        if isinstance(node, ast.Call):
            return self._unsafe_call(node, scope, local, seen)
        if isinstance(node, ast.Name):
            return self._unsafe_name(node, scope, local, seen)
        return node  # attribute, subscript, …: data as far as we can tell

    def _unsafe_call(self, node: ast.Call, scope: _Scope, local: set[str],
                     seen: set[tuple[int, str]]) -> ast.AST | None:  # fmt: skip
        func = node.func
        if isinstance(func, ast.Name) and func.id == "md":
            return None
        if isinstance(func, ast.Attribute) and func.attr == "md":
            return None
        if isinstance(func, ast.Name) and func.id in NUMERIC_CALLS:
            return None
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id == "fmt")
        ):
            return None  # numbers, dates and percentages, formatted
        if isinstance(func, ast.Name) and func.id == "t":
            # The key picks one of our labels; what fills its placeholders must be safe.
            parts = [*node.args[1:], *(kw.value for kw in node.keywords)]
            if any(kw.arg is None for kw in node.keywords):
                return node
            for part in parts:
                bad = self._unsafe(part, scope, local, seen)
                if bad is not None:
                    return bad
            return None
        if (isinstance(func, ast.Attribute) and func.attr == "join"
                and isinstance(func.value, ast.Constant)):  # fmt: skip
            return self._unsafe(node.args[0], scope, local, seen) if node.args else None
        return node

    def _unsafe_name(self, node: ast.Name, scope: _Scope, local: set[str],
                     seen: set[tuple[int, str]]) -> ast.AST | None:  # fmt: skip
        if node.id in local:
            return node  # a lambda's or comprehension's variable: each item of some data
        current: _Scope | None = scope
        while current is not None and node.id not in current.bindings:
            current = current.parent
        if current is None:
            return node
        if node.id in current.markdown_params:
            return None
        key = (id(current), node.id)
        if key in seen:
            return None
        seen.add(key)
        values = current.bindings[node.id]
        if not values:
            return node
        for value in values:
            if value is None:
                return node
            bad = self._unsafe(value, current, set(), seen)
            if bad is not None:
                return bad
        return None


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.IfExp) and isinstance(func.body, ast.Attribute):
        func = func.body  # (st.error if red else st.warning)(text)
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return None


def _is_streamlit(call: ast.Call) -> bool:
    """A method call (st.x, st.sidebar.x, col.x, tab.x …): Streamlit's element API."""
    return isinstance(call.func, ast.Attribute | ast.IfExp)


def violations(sources: dict[str, str]) -> list[Violation]:
    """Every unescaped argument in `sources` (path → code)."""
    trees = {path: ast.parse(code, filename=path) for path, code in sources.items()}
    helpers = _markdown_params(trees)
    found: list[Violation] = []
    for path, tree in trees.items():
        found += _Checker(path, tree, helpers).violations
    return found


def test_no_page_renders_data_or_url_text_as_markdown():
    found = violations(
        {p.relative_to(PROJECT_ROOT).as_posix(): p.read_text(encoding="utf-8") for p in SOURCES}
    )
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize(
    ("snippet", "flagged"),
    [
        ("st.header(name)", True),
        ("st.header(md(name))", False),
        ('st.warning(t("profile.invalid", value=raw))', True),
        ('st.warning(t("profile.invalid", value=md(raw)))', False),
        ("st.caption(f\"{t('a')} · {f.label()}\")", True),
        ('st.caption(t("a", n=len(rows), when=fmt.date(d)))', False),
        ('x = t("a")\nst.subheader(x)', False),
        ("x = row.name\nst.subheader(x)", True),
        ("for item in items:\n    st.warning(item.text)", True),
        ("(st.error if red else st.warning)(item.text)", True),
        ('st.tabs([t(f"p.tab.{k}") for k in KEYS])', False),
        ("st.tabs([name for name in names])", True),
        ('st.radio(t("a"), opts, format_func=lambda o: t(f"x.{o}"))', False),
        ('st.radio(t("a"), opts, format_func=lambda o: o)', True),
        ('st.radio(t("a"), opts)', True),
        ('st.selectbox(t("a"), names)', False),  # a selectbox shows its options as plain text
        ('st.metric(t("a"), value)', True),
        ("st.table(frame)", True),
        ("def card(label: Markdown):\n    st.metric(label, 1)\ncard(name)", True),
        ('def card(label: Markdown):\n    st.metric(label, 1)\ncard(t("k"))', False),
    ],
)
def test_the_check_flags_data_and_passes_labels(snippet, flagged):
    assert bool(violations({"pages/probe.py": snippet + "\n"})) is flagged, snippet

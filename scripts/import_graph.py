"""The import graph of each of our apps, and a failure on any circle.

Every import counts, including one inside a function: an import put there to dodge a circle is
still a circle, only hidden. Also fails where a module imports another module's private name
(`from .x import _y`). Run by `make lint`; `--show` prints each app's graph.

    python scripts/import_graph.py [--show]
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("cases", "assessments", "planning", "visits", "supervision", "audits", "returns", "config")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for app in APPS for path in (ROOT / app).rglob("*.py")
            if "migrations" not in path.parts}  # fmt: skip


def resolved(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> tuple[set[str], list[str]]:
    """(the project modules it imports, the private names it takes from another module)."""
    targets, private = set(), []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom):
            source = resolved(node, name, path.name == "__init__.py")
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    targets.add(f"{source}.{alias.name}")
                elif source in modules:
                    targets.add(source)
                    if alias.name.startswith("_") and source != name:
                        private.append(f"{name} imports {alias.name} from {source}")
    targets.discard(name)
    return targets, private


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main(show: bool) -> int:
    modules = project_modules()
    graph, private = {}, []
    for name, path in modules.items():
        graph[name], taken = imports_of(name, path, modules)
        private += taken
    if show:
        by_app = defaultdict(list)
        for name in sorted(graph):
            by_app[name.split(".")[0]].append(name)
        for app, names in by_app.items():
            print(f"{app}:")
            for name in names:
                print(f"  {name} -> {', '.join(sorted(graph[name])) or '(nothing of ours)'}")
    found = circles(graph)
    for group in found:
        print("Import circle: " + " <-> ".join(group))
    for line in private:
        print("Private name imported: " + line)
    if not found and not private:
        print(f"{len(graph)} modules, no import circle, no private name imported across modules")
    return 1 if found or private else 0


if __name__ == "__main__":
    sys.exit(main("--show" in sys.argv))

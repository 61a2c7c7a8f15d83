#!/usr/bin/env python3
"""The module graph of the package, from `swift package describe --type json`.

Usage: scripts/module-graph.py [--mermaid | --dot | --update docs/ARCHITECTURE.md]

--mermaid (default) prints a Mermaid flowchart; --dot prints Graphviz DOT (render with
`dot -Tpng`); --update rewrites the Mermaid block between the markers
`<!-- module-graph:begin -->` and `<!-- module-graph:end -->` of the given Markdown file.
Shown: the library modules and one node for each family of executables; the system-library
shims (C*), tests, test support and benchmarks are left out. Each edge is a direct dependency,
with those already implied through another shown module dropped (transitive reduction), so the
picture shows the layering.
"""
import json
import subprocess
import sys

EXPERIMENTS = {"model-comparison", "cov-sweep", "correlation-grid", "sampler-comparison", "network-comparison",
               "structure-sensitivity", "paper-audit"}


def graph():
    described = json.loads(subprocess.run(["swift", "package", "describe", "--type", "json"], capture_output=True,
                                          text=True, check=True).stdout)
    nodes, edges = {}, set()
    for t in described["targets"]:
        name, kind = t["name"], t["type"]
        if kind in ("test", "system-target") or name == "TestSupport" or name.endswith("-bench"):
            continue
        node = "experiments (7 executables)" if name in EXPERIMENTS else name
        nodes[node] = "executable" if kind == "executable" else "library"
        for dep in t.get("target_dependencies", []):
            if not dep.startswith("C") or dep in ("Charts",):
                edges.add((node, dep))
    edges = {(a, b) for a, b in edges if b in nodes and a != b}
    # Transitive reduction: drop a → c when a → b → … → c exists.
    def reachable(start, skip):
        seen, stack = set(), [b for a, b in edges if a == start and (a, b) != skip]
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack += [b for a, b in edges if a == n]
        return seen
    reduced = {(a, b) for a, b in edges if b not in reachable(a, (a, b))}
    return nodes, sorted(reduced)


def ident(name):
    return "".join(ch if ch.isalnum() else "_" for ch in name)


def mermaid(nodes, edges):
    lines = ["```mermaid", "flowchart BT"]
    for n, kind in sorted(nodes.items()):
        lines.append(f'    {ident(n)}{"([" if kind == "executable" else "["}"{n}"{"])" if kind == "executable" else "]"}')
    lines += [f"    {ident(a)} --> {ident(b)}" for a, b in edges]
    lines.append("```")
    return "\n".join(lines)


def dot(nodes, edges):
    lines = ["digraph modules {", "  rankdir=BT; node [fontname=\"DejaVu Sans\", fontsize=10];"]
    for n, kind in sorted(nodes.items()):
        lines.append(f'  "{n}" [shape={"ellipse" if kind == "executable" else "box"}];')
    lines += [f'  "{a}" -> "{b}";' for a, b in edges]
    lines.append("}")
    return "\n".join(lines)


def main(argv):
    nodes, edges = graph()
    if argv[:1] == ["--dot"]:
        print(dot(nodes, edges))
    elif argv[:1] == ["--update"] and len(argv) == 2:
        text = open(argv[1]).read()
        begin, end = "<!-- module-graph:begin -->", "<!-- module-graph:end -->"
        head, rest = text.split(begin)
        _, tail = rest.split(end)
        open(argv[1], "w").write(head + begin + "\n" + mermaid(nodes, edges) + "\n" + end + tail)
        print(f"module-graph: {argv[1]} updated ({len(nodes)} modules, {len(edges)} edges)")
    else:
        print(mermaid(nodes, edges))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

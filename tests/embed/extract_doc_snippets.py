"""Concatenates the ```cpp blocks of a Markdown file, in order, into one C++
source (docs/embedding.md is one program told in pieces).
    extract_doc_snippets.py <markdown> <output.cpp>"""
import sys

source, output = sys.argv[1], sys.argv[2]
blocks, inside = [], False
for line in open(source, encoding="utf-8"):
    if line.startswith("```"):
        inside = line.strip() == "```cpp" if not inside else False
        continue
    if inside:
        blocks.append(line)
if not blocks:
    sys.exit(f"{source}: no ```cpp blocks")
with open(output, "w", encoding="utf-8") as f:
    f.write(f"// Generated from {source}: do not edit.\n#undef NDEBUG\n")
    f.writelines(blocks)

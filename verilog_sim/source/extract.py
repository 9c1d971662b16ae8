"""Find the Verilog in raw LLM text: answer tags, fenced blocks, or bare ``module … endmodule``.

Reasoning sections (``<think>``, or everything before a lone ``</think>`` when the chat template opened the
tag in the prompt) are ignored: a draft in the thinking is not the answer. When several blocks define
modules, the block that defines the required top module wins (the last such block: models revise), and
modules it instantiates from other blocks come along. Prose never enters the result: bare modules are cut
out one by one, and a ``module`` word counts only when a header follows it (``(``, ``#``, ``;``, ``import``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.S | re.I)
_THINK_END = re.compile(r"</think>", re.I)
_ANSWER = re.compile(r"<answer>(.*?)(?:</answer>|\Z)", re.S | re.I)
_FENCE = re.compile(r"^[ \t]*```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:^[ \t]*```|\Z)", re.S | re.M)
_OTHER_TAGS = {"python", "py", "bash", "sh", "shell", "console", "json", "yaml", "tcl", "c", "cpp", "c++", "vhdl",
               "make", "makefile", "text", "txt", "markdown", "md", "diff"}
# Comments and strings in one left-to-right pass: a ``//`` inside a string is not a comment, and vice versa.
# An unterminated comment or string ends at the end of the text (a string: of its line), so every opening
# matches once and the pass stays linear (``"\"\"\"…`` with no closing quote was quadratic: 2 s for 16 KB).
_COMMENT_OR_STRING = re.compile(r'//[^\n]*|/\*.*?(?:\*/|\Z)|"(?:[^"\\\n]|\\.?)*+(?:"|(?=\n)|\Z)', re.S)
_MODULE = re.compile(r"\b(module|macromodule)\s+(?:automatic\s+|static\s+)?([A-Za-z_][A-Za-z0-9_$]*)"
                     r"(?=\s*(?:[#(;]|import\b))")
_ENDMODULE = re.compile(r"\bendmodule\b")


@dataclass(frozen=True)
class ModuleSpan:
    name: str
    start: int
    end: int  # offset just past ``endmodule`` (or end of text when unterminated)


def blank_comments_and_strings(text: str) -> str:
    """Comments and strings replaced by spaces, offsets kept: keyword searches then ignore them."""
    def spaces(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    return _COMMENT_OR_STRING.sub(spaces, text)


def module_spans(code: str) -> list[ModuleSpan]:
    """Modules defined in ``code`` in order, each from ``module`` to its ``endmodule``."""
    clean = blank_comments_and_strings(code)
    spans: list[ModuleSpan] = []
    pos = 0
    while (m := _MODULE.search(clean, pos)) is not None:
        e = _ENDMODULE.search(clean, m.end())
        end = e.end() if e else len(code)
        spans.append(ModuleSpan(m.group(2), m.start(), end))
        pos = end
    return spans


def module_names(code: str) -> list[str]:
    return [s.name for s in module_spans(code)]


_WORD = re.compile(r"\w+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


def _mentioned(name: str, words: set[str]) -> bool:
    """``re.search(rf"\\b{name}\\b", text)`` for the text whose ``\\w+`` runs are ``words``."""
    return all(part in words for part in re.split(r"\W+", name) if part)


def root_modules(code: str, spans: list[ModuleSpan] | None = None) -> list[str]:
    """Modules no other module of ``code`` instantiates (mentions), in order: the candidates for top.

    One home for "which module is the top" when nobody named it (the filter's single-top rule, ``hdlgen
    verify`` without ``--top``). A module is counted as used when another module's body names it.
    """
    spans = module_spans(code) if spans is None else spans
    if len(spans) == 1:
        return [spans[0].name]
    clean = blank_comments_and_strings(code)
    names = [s.name for s in spans]
    known = set(names)
    # one set of identifier tokens per body, not one search per (body, name): linear in the text
    word = _IDENTIFIER if any("$" in n for n in known) else _WORD
    used: set[str] = set()
    for s in spans:
        used.update(n for n in known.intersection(word.findall(clean[s.start:s.end])) if n != s.name)
    return [n for n in dict.fromkeys(names) if n not in used]


def _candidate_blocks(text: str) -> list[str]:
    """Blocks of code that define modules: from the last ``<answer>`` if it has any, else the text outside
    the reasoning; fenced blocks first, else bare modules (each with the directives just above it)."""
    outside = _THINK.sub("", text)
    ends = list(_THINK_END.finditer(outside))
    if ends:  # the template opened <think> in the prompt: only what follows the last </think> is the answer
        outside = outside[ends[-1].end():]
    answers = _ANSWER.findall(outside)
    for body in ([answers[-1]] if answers else []) + [outside]:
        fenced = [b for tag, b in _FENCE.findall(body) if tag.lower() not in _OTHER_TAGS]
        blocks = [b for b in fenced if module_spans(b)]
        if blocks:
            return blocks
        body = _FENCE.sub(lambda m: "" if m.group(1).lower() in _OTHER_TAGS else m.group(0), body)
        spans = module_spans(body)
        if spans:
            return ["\n\n".join(body[_directive_start(body, s.start):s.end].strip("\n") for s in spans)]
    return []


def _directive_start(text: str, module_start: int) -> int:
    """Include `timescale / `define lines right before the first module.

    Walks back line by line from the module (never splitting all the text before it: with 40k modules
    that was quadratic, 90 s for 1 MB)."""
    end = module_start
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        s = text[start:end].strip()
        if s == "" or s.startswith("`") or s.startswith("//"):
            end = start
            continue
        break
    return end


def extract_verilog(text: str, top: str | None = None) -> str | None:
    """The Verilog source to judge, or None when the text holds no module definition."""
    if not text or not text.strip():
        return None
    blocks = _candidate_blocks(text)
    if not blocks:
        return None
    if top is None:
        chosen = blocks[-1]
    else:
        defining = [b for b in blocks if top in module_names(b)]
        chosen = defining[-1] if defining else blocks[-1]
    defined = set(module_names(chosen))
    extra: list[str] = []
    used = set(_WORD.findall(blank_comments_and_strings(chosen)))  # a set, not a search per module: linear
    for b in reversed(blocks):  # later blocks are the model's newer drafts
        if b is chosen:
            continue
        for span in module_spans(b):
            if span.name not in defined and _mentioned(span.name, used):
                extra.append(b[span.start:span.end])
                defined.add(span.name)
                used.update(_WORD.findall(blank_comments_and_strings(b[span.start:span.end])))
    code = chosen.strip("\n")
    if extra:
        code = code + "\n\n" + "\n\n".join(extra)
    return code + "\n"

"""Model-written LaTeX meets TeX only through an allowlist, and compiles with a minimal preamble.

TeX is a programming language with file and shell access (`\\input`, `\\write18`, `\\catcode`
tricks), so a denylist is never complete: every control sequence must be a known math command.
Formulas with CJK text need xelatex + ctex; the rest use plain latex, which is several times
faster. The runner also turns shell escape off and restricts TeX's file writes for every run.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from manim import MathTex, TexTemplate

GREEK = frozenset(
    {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "varpi",
        "rho",
        "varrho",
        "sigma",
        "varsigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Upsilon",
        "Phi",
        "Psi",
        "Omega",
    }
)
COMMANDS = GREEK | frozenset(
    {
        "frac",
        "dfrac",
        "tfrac",
        "sqrt",
        "cdot",
        "times",
        "div",
        "pm",
        "mp",
        "le",
        "leq",
        "ge",
        "geq",
        "ne",
        "neq",
        "approx",
        "equiv",
        "sim",
        "simeq",
        "cong",
        "propto",
        "infty",
        "to",
        "rightarrow",
        "leftarrow",
        "Rightarrow",
        "Leftarrow",
        "Leftrightarrow",
        "leftrightarrow",
        "iff",
        "implies",
        "mapsto",
        "in",
        "notin",
        "ni",
        "subset",
        "subseteq",
        "supset",
        "supseteq",
        "cup",
        "cap",
        "setminus",
        "emptyset",
        "varnothing",
        "forall",
        "exists",
        "neg",
        "land",
        "lor",
        "angle",
        "triangle",
        "perp",
        "parallel",
        "circ",
        "prime",
        "partial",
        "nabla",
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "arcsin",
        "arccos",
        "arctan",
        "sinh",
        "cosh",
        "tanh",
        "log",
        "ln",
        "lg",
        "exp",
        "lim",
        "sum",
        "prod",
        "int",
        "max",
        "min",
        "sup",
        "inf",
        "det",
        "gcd",
        "left",
        "right",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "middle",
        "quad",
        "qquad",
        "text",
        "mathrm",
        "mathbf",
        "mathit",
        "mathbb",
        "mathcal",
        "boldsymbol",
        "operatorname",
        "overline",
        "underline",
        "hat",
        "bar",
        "vec",
        "dot",
        "ddot",
        "tilde",
        "widehat",
        "overrightarrow",
        "ldots",
        "cdots",
        "dots",
        "vdots",
        "ddots",
        "langle",
        "rangle",
        "lfloor",
        "rfloor",
        "lceil",
        "rceil",
        "mid",
        "nmid",
        "binom",
        "dbinom",
        "displaystyle",
        "because",
        "therefore",
        "star",
        "ast",
        "bullet",
        "square",
        "blacksquare",
        "begin",
        "end",
    }
)
CONTROL_SYMBOLS = frozenset({"\\", ",", ";", ":", "!", " ", "{", "}", "|", "%", "&", "_", "#", "$"})
ENVIRONMENTS = frozenset(
    {"cases", "aligned", "array", "matrix", "pmatrix", "bmatrix", "vmatrix", "smallmatrix"}
)

_CONTROL = re.compile(r"\\([A-Za-z]+|.?)", re.DOTALL)
_ENVIRONMENT = re.compile(r"\s*\{([^{}]*)\}")
_UNICODE = re.compile(r"[^\x00-\x7f]")

PREAMBLE = "\\usepackage{amsmath}\n\\usepackage{amssymb}"
DOCUMENT_CLASS = "\\documentclass[preview]{standalone}"


class UnsafeLatexError(ValueError):
    """LaTeX that uses a command outside the allowlist; the message names it."""


def check_latex(latex: str) -> str:
    """Return `latex` unchanged if every command in it is allowlisted, else raise naming the culprit."""
    if "^^" in latex:
        raise UnsafeLatexError("'^^' character-code escapes are not allowed in a formula")
    for match in _CONTROL.finditer(latex):
        name = match.group(1)
        if not name:
            raise UnsafeLatexError("a formula cannot end with a lone backslash")
        if name.isalpha():
            if name not in COMMANDS:
                raise UnsafeLatexError(f"LaTeX command \\{name} is not allowed in a formula")
            if name in ("begin", "end"):
                env = _ENVIRONMENT.match(latex, match.end())
                if env is None or env.group(1) not in ENVIRONMENTS:
                    found = env.group(1) if env else "?"
                    raise UnsafeLatexError(f"LaTeX environment {{{found}}} is not allowed in a formula")
        elif name not in CONTROL_SYMBOLS:
            raise UnsafeLatexError(f"LaTeX control symbol \\{name} is not allowed in a formula")
    bare = _CONTROL.sub("", latex)
    for char in "#$%":
        if char in bare:
            raise UnsafeLatexError(f"an unescaped {char!r} is not allowed in a formula (write \\{char})")
    depth = 0
    for char in bare:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        raise UnsafeLatexError("unbalanced braces in a formula")
    return latex


@cache
def _template(unicode: bool) -> TexTemplate:
    if unicode:
        # PDF, not XDV: dvisvgm places CJK glyphs from an XDV file a few points below the math
        # baseline; from the PDF they sit where xelatex set them
        return TexTemplate(
            tex_compiler="xelatex",
            output_format=".pdf",
            documentclass=DOCUMENT_CLASS,
            preamble=PREAMBLE
            + "\n\\usepackage[UTF8]{ctex}\n% svg from pdf",  # the comment renews cached SVGs
        )
    return TexTemplate(
        tex_compiler="latex", output_format=".dvi", documentclass=DOCUMENT_CLASS, preamble=PREAMBLE
    )


def tex_template(latex: str) -> TexTemplate:
    """xelatex + ctex when the formula has non-ASCII text (Chinese in `\\text{}`), plain latex otherwise."""
    return _template(bool(_UNICODE.search(latex)))


_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_CJK_TEXT = re.compile(rf"\\text\{{\s*([^{{}}]*{_CJK}[^{{}}]*?)\s*\}}")
_BARE_CJK = re.compile(rf"{_CJK}+")


def cjk_in_math(latex: str) -> str:
    """Chinese words inside a formula as text with a space either side: TeX drops CJK in math
    mode, and ctex eats the spaces a writer puts inside `\\text{ 或 }`."""
    bare = _CJK_TEXT.sub(lambda m: m.group(1), latex)
    spaced = re.sub(r"(?:\\ \s*)+", r"\\ ", _BARE_CJK.sub(lambda m: f"\\ \\text{{{m.group(0)}}}\\ ", bare))
    return spaced.removeprefix("\\ ").removesuffix("\\ ").strip()


def safe_math_tex(latex: str, **kwargs: Any) -> MathTex:
    """A MathTex of allowlisted LaTeX with the right template; the only way scenes build formulas."""
    checked = cjk_in_math(check_latex(latex))
    return MathTex(checked, tex_template=tex_template(checked), **kwargs)

"""The LaTeX allowlist: school math passes; anything reaching files or the shell is refused by name."""

from __future__ import annotations

import pytest

from mathcast.scenes.latex import UnsafeLatexError, check_latex, tex_template


@pytest.mark.parametrize(
    "latex",
    [
        r"y = kx + b",
        r"\frac{a}{b} + \sqrt{x^2 + 1} \cdot 3 \times 4",
        r"x \le 2 \quad y \ge -1 \quad z \ne 0 \quad \pm 1",
        r"\left( \frac{1}{2} \right)^{n}",
        r"\begin{cases} 2k + b = 3 \\ -k + b = 0 \end{cases}",
        r"\alpha + \beta = \Gamma \pi",
        r"\text{当 } x = 1 \text{ 时}",
        r"f(x) = \sin x + \log_{2} x",
        r"\{ x \mid x > 0 \}",
        r"50\% \text{ of } 10",
    ],
)
def test_accepts_school_math(latex: str) -> None:
    assert check_latex(latex) == latex


@pytest.mark.parametrize(
    ("latex", "named"),
    [
        (r"\input{/etc/passwd}", r"\input"),
        (r"\include{secret}", r"\include"),
        (r"\write18{rm -rf ~}", r"\write"),
        (r"\immediate\write18{id}", r"\immediate"),
        (r"\openin5=/etc/passwd", r"\openin"),
        (r"\read5 to \x", r"\read"),
        (r"\catcode`\^=7", r"\catcode"),
        (r"\def\x{1} \x", r"\def"),
        (r"\csname input\endcsname", r"\csname"),
        (r"\newcommand{\x}{1}", r"\newcommand"),
        (r"\usepackage{shellesc}", r"\usepackage"),
        (r"\expandafter\x", r"\expandafter"),
        (r"\let\x=\input", r"\let"),
        (r"\openout1=x.tex", r"\openout"),
        (r"\special{ps: x}", r"\special"),
        (r"x^2 \makeatletter", r"\makeatletter"),
        (r"\begin{filecontents}{x.tex}", "{filecontents}"),
        (r"\begin{verbatim}", "{verbatim}"),
        (r"\@tempa", r"\@"),
    ],
)
def test_rejects_dangerous_commands_by_name(latex: str, named: str) -> None:
    with pytest.raises(UnsafeLatexError) as raised:
        check_latex(latex)
    assert named in str(raised.value)


@pytest.mark.parametrize(
    ("latex", "why"),
    [
        ("^^5cinput{x}", "^^"),
        ("x $ y", "$"),
        ("x % }", "%"),
        ("x # 1", "#"),
        ("\\frac{1}{2", "unbalanced"),
        ("x } {", "unbalanced"),
        ("x \\", "lone backslash"),
    ],
)
def test_rejects_escapes_around_the_allowlist(latex: str, why: str) -> None:
    with pytest.raises(UnsafeLatexError, match=why.replace("$", r"\$").replace("^", r"\^")):
        check_latex(latex)


def test_chinese_formulas_compile_with_xelatex_and_ctex() -> None:
    cjk = tex_template(r"\text{斜率} = k")
    plain = tex_template("y = kx + b")
    assert cjk.tex_compiler == "xelatex"
    assert "ctex" in cjk.preamble
    assert plain.tex_compiler == "latex"
    assert "ctex" not in plain.preamble

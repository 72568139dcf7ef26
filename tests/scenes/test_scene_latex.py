"""The LaTeX allowlist: school math passes; anything reaching files or the shell is refused by name."""

from __future__ import annotations

import pytest

from mathcast.scenes.latex import UnsafeLatexError, check_latex, cjk_in_math, safe_math_tex, tex_template


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


@pytest.mark.parametrize(
    ("written", "compiled"),
    [
        (r"x = 1 \text{ 或 } x = 2", r"x = 1 \ \text{或}\ x = 2"),
        (r"x = 1 或 x = 2", r"x = 1 \ \text{或}\ x = 2"),
        (r"\text{增区间 } (-\infty, -1)", r"\text{增区间}\ (-\infty, -1)"),
        (r"\text{无解}", r"\text{无解}"),
        ("y = kx + b", "y = kx + b"),
    ],
)
def test_chinese_inside_a_formula_becomes_spaced_text(written: str, compiled: str) -> None:
    assert cjk_in_math(written) == compiled


@pytest.mark.render
@pytest.mark.usefixtures("manim_media")
def test_chinese_sits_on_the_baseline_of_the_math_around_it() -> None:
    """dvisvgm set CJK from xelatex's XDV output a few points low; the glyphs must line up."""
    formula = safe_math_tex(r"x = 1 \text{ 或 } x = 2", font_size=64)
    glyphs = formula[0].submobjects
    assert len(glyphs) == 7  # x = 1 或 x = 2: nothing dropped
    x, chinese = glyphs[0], glyphs[3]
    assert chinese.height > x.height  # the hanzi, not a stray mark
    assert abs(chinese.get_center()[1] - x.get_center()[1]) < 0.25 * chinese.height
    assert chinese.get_left()[0] - glyphs[2].get_right()[0] > 0.05  # a space before 或

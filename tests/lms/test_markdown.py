from lms.markdown import render_markdown


def test_markdown_is_rendered():
    html = str(render_markdown("# Title\n\n*Article 3* and [link](https://mercuryconvention.org)"))
    assert "<h2>Title</h2>" in html and "<em>Article 3</em>" in html
    assert 'href="https://mercuryconvention.org"' in html and 'rel="noopener noreferrer"' in html


def test_a_text_never_adds_an_h1_and_keeps_the_steps_between_its_headings():
    # The page's title is its only h1: a text written from "#" moves down one level, whole.
    assert str(render_markdown("# A\n\n## B\n\n### C")) == "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>"
    # Written from "##" or lower, it stays as written (it may sit under a section heading of its page).
    assert str(render_markdown("### A\n\n#### B")) == "<h3>A</h3>\n<h4>B</h4>"
    assert str(render_markdown("## A\n\n###### F")) == "<h2>A</h2>\n<h6>F</h6>"
    # An h1 typed as HTML is kept as its text.
    assert "<h1" not in str(render_markdown("<h1>Typed</h1>")) and "Typed" in str(
        render_markdown("<h1>Typed</h1>")
    )


def test_script_and_event_handlers_are_removed():
    html = str(
        render_markdown(
            '<script>alert(1)</script><img src="x.png" onerror="alert(2)" alt="a">'
            '[x](javascript:alert(3)) <a href="data:text/html,hi">d</a>'
        )
    )
    assert "<script" not in html and "onerror" not in html
    assert "javascript:" not in html and "data:text" not in html
    assert '<img src="x.png" alt="a">' in html


def test_empty_text_renders_empty():
    assert str(render_markdown(None)) == "" and str(render_markdown("")) == ""


def test_a_table_scrolls_in_its_own_region():
    # A table in a lesson or handout is often wider than a phone: it scrolls sideways inside its own
    # keyboard-focusable box (the .table-scroll of macros/tables.html) instead of widening the page.
    html = str(
        render_markdown("| Criterion | Low | High |\n|---|---|---|\n| People nearby | None | Town |\n")
    )
    opening = '<div class="table-scroll" role="region" tabindex="0" aria-label="Table 1"><table>'
    assert html.startswith(opening)
    assert html.rstrip().endswith("</table></div>")
    assert html.count("<table") == 1
    two = str(render_markdown("| a |\n|---|\n| 1 |\n\ntext\n\n| b |\n|---|\n| 2 |\n"))
    assert 'aria-label="Table 1"' in two and 'aria-label="Table 2"' in two


def test_text_that_only_mentions_a_table_is_left_alone():
    html = str(render_markdown("`<table>` is written as text here."))
    assert "table-scroll" not in html and "&lt;table&gt;" in html


def test_a_table_in_an_attribute_value_cannot_open_the_wrapper():
    # The wrapper is added after sanitising: "<table" inside a title or alt text must stay text (escaped),
    # or the wrapper's quote would end the attribute and let the rest through as markup.
    sources = [
        '[x](https://a.example "<table><img src=x onerror=alert(1)>")',
        "![<table><img src=x onerror=alert(1)>](https://a.example/i.png)",
        '<abbr title="<table><img src=x onerror=alert(1)>">x</abbr>',
    ]
    for source in sources:
        html = str(render_markdown(source))
        assert "table-scroll" not in html and "<img src=x" not in html and "<table>" not in html, html


def test_a_text_is_rendered_once_per_language(app):
    from flask_babel import force_locale

    from lms.markdown import _rendered

    table = "| Article | Subject |\n|---|---|\n| 4 | Products |"
    _rendered.cache_clear()
    with app.test_request_context():
        first = render_markdown(table)
        assert render_markdown(table) is first  # the second reader gets the same rendering
        with force_locale("fr"):
            french = render_markdown(table)
    assert _rendered.cache_info().misses == 2 and _rendered.cache_info().hits == 1
    # The table's region label is in each reader's language.
    assert 'aria-label="Table 1"' in first and 'aria-label="Tableau 1"' in french


def test_many_unclosed_brackets_are_escaped_and_render_as_typed():
    """Past UNCLOSED_BRACKETS_KEPT, every "[" no "]" closes is escaped: Python-Markdown's link search
    from each of them grows with the square of their number (benchmarks/markdown_bench.py)."""
    from lms.markdown import UNCLOSED_BRACKETS_KEPT, _escape_costly_brackets

    few = "[a](https://x.org) " + "[" * UNCLOSED_BRACKETS_KEPT
    assert _escape_costly_brackets(few) == few  # real texts are left as written
    many = "[a](https://x.org) " + "[" * (UNCLOSED_BRACKETS_KEPT + 1)
    escaped = _escape_costly_brackets(many)
    assert escaped.count("\\[") == UNCLOSED_BRACKETS_KEPT + 1 and escaped.startswith("[a](https://x.org) ")
    html = str(render_markdown(many))
    assert "[" * (UNCLOSED_BRACKETS_KEPT + 1) in html and '<a href="https://x.org"' in html
    assert "\\" not in html


def test_deeply_nested_brackets_are_escaped_and_shallow_ones_still_link():
    from lms.markdown import BRACKET_DEPTH_KEPT, _escape_costly_brackets

    deep = "[" * (BRACKET_DEPTH_KEPT + 1) + "x" + "]" * (BRACKET_DEPTH_KEPT + 1)
    assert _escape_costly_brackets(deep).count("\\[") == 1 and _escape_costly_brackets(deep).count("\\]") == 1
    assert str(render_markdown(deep)) == f"<p>{deep}</p>"
    nested = "[a [b [c] d] e](https://x.org)"
    assert _escape_costly_brackets(nested) == nested
    assert str(render_markdown(nested)).startswith('<p><a href="https://x.org"')


def test_many_unclosed_link_addresses_are_escaped_and_closed_ones_kept():
    from lms.markdown import UNCLOSED_BRACKETS_KEPT, _escape_costly_brackets

    many = "[a](" * (UNCLOSED_BRACKETS_KEPT + 1)
    assert _escape_costly_brackets(many).count("\\(") == UNCLOSED_BRACKETS_KEPT + 1
    assert str(render_markdown(many)) == f"<p>{many}</p>"
    wiki = "[Mercury](https://en.wikipedia.org/wiki/Mercury_(element)) (symbol Hg) " * 300
    assert _escape_costly_brackets(wiki) == wiki
    assert str(render_markdown(wiki)).count('href="https://en.wikipedia.org/wiki/Mercury_(element)"') == 300


def test_an_escaped_bracket_is_not_counted():
    from lms.markdown import _escape_costly_brackets

    text = "\\[" * 1000
    assert _escape_costly_brackets(text) == text

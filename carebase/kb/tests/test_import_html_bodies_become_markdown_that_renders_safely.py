"""An exported article's HTML becomes Markdown an editor can work with:
headings, paragraphs, line breaks, lists (nested, numbered), links, bold
and italic, code, quotes; images and embedded videos become links, tables
stay HTML, scripts and styles go, and any other element keeps its text.
Text that looks like Markdown stays text, and what the renderer makes of
the result is sanitised."""

from carebase.kb.imports_external import html_to_markdown
from carebase.kb.render import render_markdown


def test_headings_paragraphs_and_emphasis():
    html = "<h1>Tytuł</h1><h3>Krok</h3><p>Zwykły <b>gruby </b>i <em>pochyły</em> tekst</p>"
    assert html_to_markdown(html) == "## Tytuł\n\n### Krok\n\nZwykły **gruby** i *pochyły* tekst\n"


def test_one_break_breaks_the_line_and_two_start_a_paragraph():
    assert html_to_markdown("<p>Jeden<br>dwa<br><br>trzy</p>") == "Jeden\\\ndwa\n\ntrzy\n"
    assert html_to_markdown("<p>&nbsp;</p><div>\n  rozstrzelony \n tekst </div>") == (
        "rozstrzelony tekst\n"
    )


def test_lists_nest_and_keep_their_numbers():
    html = (
        "<ul><li>Jeden<ul><li>a</li><li>b</li></ul></li><li>Dwa<li>Trzy</ul>"
        '<ol start="3"><li>Trzeci</li><li>Czwarty</li></ol>'
    )
    assert html_to_markdown(html) == (
        "- Jeden\n  - a\n  - b\n- Dwa\n- Trzy\n\n3. Trzeci\n4. Czwarty\n"
    )


def test_links_images_and_videos_become_links_and_unsafe_ones_text():
    html = (
        '<p><a href="https://example.pl/a b">Cennik</a> '
        '<a href="javascript:alert(1)">Kliknij</a> '
        '<img src="https://cdn.example.pl/zrzut.png" alt="Zrzut ekranu"> '
        '<img src="data:image/png;base64,AAAA" alt="osadzony">'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe></p>'
    )
    assert html_to_markdown(html) == (
        "[Cennik](<https://example.pl/a%20b>) Kliknij [Zrzut ekranu](https://cdn.example.pl/zrzut.png)"
        " [abc](https://www.youtube.com/embed/abc)\n"
    )


def test_a_linked_image_becomes_one_link_to_the_image():
    html = '<p><a href="/duzy.png"><img src="/maly.png" alt="Zrzut"></a></p>'
    assert html_to_markdown(html) == "[Zrzut](/maly.png)\n"


def test_code_and_quotes():
    html = (
        '<pre><code class="language-bash">curl -s `hostname`\n  ls</code></pre>'
        "<p>Użyj <code>a`b</code>.</p><blockquote><p>Cytat</p><p>Dalej</p></blockquote>"
    )
    assert html_to_markdown(html) == (
        "```bash\ncurl -s `hostname`\n  ls\n```\n\nUżyj ``a`b``.\n\n> Cytat\n>\n> Dalej\n"
    )


def test_text_that_looks_like_markdown_stays_text():
    html = (
        "<p>1. maja</p><p># nie nagłówek</p><p>- nie lista</p><p>*gwiazdki* _x_ a_b &lt;b&gt;</p>"
    )
    markdown = html_to_markdown(html)
    rendered = render_markdown(markdown)
    assert "<h1" not in rendered and "<ol" not in rendered and "<ul" not in rendered
    assert "<em>" not in rendered and "<b>" not in rendered
    assert "<p>1. maja</p>" in rendered and "<p>*gwiazdki* _x_ a_b &lt;b&gt;</p>" in rendered


def test_scripts_styles_and_handlers_never_reach_a_reader():
    html = (
        "<style>p{color:red}</style><p onclick='steal()'>Treść</p><script>steal()</script>"
        '<table onmouseover="steal()"><tr><td>1 &lt; 2<script>steal()</script></td>'
        '<td><a href="javascript:steal()">x</a></td></tr></table><unknown>zostaje</unknown>'
    )
    markdown = html_to_markdown(html)
    assert markdown == (
        "Treść\n\n<table>\n<tr><td>1 &lt; 2</td><td><a>x</a></td></tr></table>\n\nzostaje\n"
    )
    rendered = render_markdown(markdown)
    assert "steal" not in rendered and "color" not in rendered
    assert "<td>1 &lt; 2</td>" in rendered

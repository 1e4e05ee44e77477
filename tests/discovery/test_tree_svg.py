"""The tree drawing: every node a link, titles wrapped and escaped, sizes from the content."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from productops.discovery.tree_svg import CHARS_PER_LINE, MAX_LINES, layout, tree_svg, wrap_title
from productops.discovery.trees import TreeNode


def sample() -> TreeNode:
    test = TreeNode("test", 7, "Users notice the retry", status="refuted")
    solution = TreeNode("solution", 5, "Retry button", children=[test], items=2)
    child = TreeNode("opportunity", 3, "Card declined", children=[solution], evidence=1)
    parent = TreeNode("opportunity", 2, "Payment fails", children=[child], evidence=3)
    other = TreeNode("opportunity", 4, "Shipping <costs> & surprise " * 4)
    return TreeNode("outcome", 1, "More first orders", children=[parent, other])


def href(node: TreeNode) -> str:
    return f"/edit/{node.kind}/{node.id}/"


def test_every_node_is_a_link_to_its_edit_form() -> None:
    svg = str(tree_svg(sample(), href_of=href, hx_target="#tree-panel"))
    links = re.findall(r'<a href="([^"]+)" hx-get="\1" hx-target="#tree-panel"', svg)
    assert sorted(links) == sorted(href(n) for n in sample().walk())


def test_text_is_escaped_and_status_shown() -> None:
    svg = str(tree_svg(sample(), href_of=href))
    assert "&lt;costs&gt; &amp;" in svg and "<costs>" not in svg
    assert "Refuted" in svg and "ost-status-refuted" in svg
    assert "3 touchpoints cited" in svg and "1 touchpoint cited" in svg
    assert "2 backlog items" in svg
    assert "hx-get" not in svg  # read-only readers get plain links


def test_nested_nodes_go_one_row_deeper_and_parents_centre_over_children() -> None:
    nodes, tops, width, height = layout(sample())
    by_id = {p.node.id: p for p in nodes}
    assert [by_id[i].depth for i in (1, 2, 3, 5, 7, 4)] == [0, 1, 2, 3, 4, 1]
    assert by_id[1].x == (by_id[2].x + by_id[4].x) / 2
    assert tops == sorted(tops) and len(tops) == 5
    assert height > tops[-1]


def test_sizes_follow_the_content() -> None:
    short = layout(TreeNode("outcome", 1, "Short"))
    wide = layout(
        TreeNode(
            "outcome", 1, "Short", children=[TreeNode("opportunity", n, "x") for n in range(6)]
        )
    )
    long = layout(TreeNode("outcome", 1, "A much longer outcome title " * 3))
    assert wide[2] > short[2]  # wider with more leaves
    assert long[0][0].height > short[0][0].height  # taller with more lines


@given(st.text(min_size=0, max_size=400))
def test_wrapped_titles_stay_in_their_box(title: str) -> None:
    lines = wrap_title(title)
    assert 1 <= len(lines) <= MAX_LINES
    assert all(len(line) <= CHARS_PER_LINE for line in lines)

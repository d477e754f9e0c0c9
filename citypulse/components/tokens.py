"""Design tokens shared by the components: sizes, widths and the brand accent."""

ACCENT = "teal"
CONTENT_MAX_WIDTH = "72rem"
PROSE_MAX_WIDTH = "48rem"
MOBILE_BREAKPOINT_HIDE = ["none", "none", "flex"]  # hidden below 768 px
MOBILE_ONLY = ["flex", "flex", "none"]  # shown only below 768 px

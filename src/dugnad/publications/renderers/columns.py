"""Column widths of the PDF's tables, worked out from the cells' text before typst lays them out.

typst measures every cell of an ``auto`` column twice (once for the width, once to lay it out); a VLR's tables
have ~1,900 cells and this measuring was ~12 % of its typesetting. The widths here follow typst's own rule for
auto columns — each column as wide as its widest cell; when they do not fit the line, columns narrower than
their fair share keep their width and the rest share what is left — with the text measured from Lato's advance
widths (the shipped font; measured once with typst, kerning left out, a small margin added). A column never gets
narrower than its longest word, so nothing is set over the next column.
"""

from __future__ import annotations

#: Lato Regular's advance widths in thousandths of an em (typst ``measure`` at 1000 pt); other characters count as
#: :data:`OTHER`. Lato Bold is at most :data:`BOLD` times as wide.
LATO: dict[str, int] = {
    " ": 193, "!": 343, '"': 397, "#": 580, "$": 580, "%": 786, "&": 703, "'": 230, "(": 300, ")": 300, "*": 400,
    "+": 580, ",": 212, "-": 347, ".": 212, "/": 373, ":": 252, ";": 252, "<": 580, "=": 580, ">": 580, "?": 398,
    "@": 822, "A": 680, "B": 647, "C": 685, "D": 753, "E": 581, "F": 566, "G": 734, "H": 756, "I": 307, "J": 444,
    "K": 681, "L": 514, "M": 920, "N": 756, "O": 798, "P": 611, "Q": 798, "R": 644, "S": 530, "T": 590, "U": 730,
    "V": 680, "W": 1019, "X": 643, "Y": 629, "Z": 624, "[": 300, "\\": 375, "]": 300, "^": 580, "_": 394, "`": 307,
    "a": 507, "b": 559, "c": 467, "d": 559, "e": 524, "f": 337, "g": 511, "h": 556, "i": 256, "j": 254, "k": 524,
    "l": 256, "m": 821, "n": 556, "o": 556, "p": 552, "q": 559, "r": 403, "s": 434, "t": 373, "u": 556, "v": 512,
    "w": 766, "x": 504, "y": 512, "z": 462, "{": 300, "|": 300, "}": 300, "~": 580, "æ": 816, "ø": 556, "å": 507,
    "Æ": 929, "Ø": 798, "Å": 680, "é": 524, "è": 524, "ü": 556, "ö": 556, "ä": 507, "Ü": 730, "Ö": 798, "Ä": 680,
    "–": 556, "—": 821, "·": 273, "…": 727, "«": 463, "»": 463, "§": 503, "°": 397, "²": 332, "³": 332, "½": 712,
    **dict.fromkeys("0123456789", 580),
}  # fmt: skip
OTHER = 1000
BOLD = 1.04
#: What the template sets (``report.typ``): the line width of an A4 page with 2 cm margins, the cells' inset, the
#: body and header sizes, the size of a row's reference mark (typst's ``super``: 0.6 em) — all in points.
LINE = 481.89
INSET = 3.0
CELL, HEADER, MARK = 8.0, 10.0, 8.0 * 0.6
#: Added to each measured width (kerning and rounding differ a little from the plain sum of advances).
MARGIN = 1.03


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of one line of text in Lato at ``size`` points."""
    ems = sum(LATO.get(ch, OTHER) for ch in text) / 1000
    return ems * size * (BOLD if bold else 1.0) * MARGIN


def _longest_word(text: str, size: float, bold: bool) -> float:
    return max((text_width(word, size, bold=bold) for word in text.split()), default=0.0)


def column_widths(header: list[str], rows: list[list[str]], *, refs: list[str] | None = None) -> list[float]:
    """The width in points of each column of a table (one more at the end for the rows' reference marks when
    ``refs`` has any), as typst would give ``auto`` columns on the page's line."""
    natural: list[float] = []
    least: list[float] = []
    for j, head in enumerate(header):
        cells = [row[j] for row in rows if j < len(row)]
        natural.append(max([text_width(head, HEADER, bold=True)] + [text_width(c, CELL) for c in cells]))
        least.append(max([_longest_word(head, HEADER, True)] + [_longest_word(c, CELL, False) for c in cells]))
    if refs:
        mark = max(text_width(f"[{key}]", MARK) for key in refs)
        natural.append(max(text_width("Ref.", HEADER, bold=True), mark))
        least.append(natural[-1])
    widths = [w + 2 * INSET for w in natural]
    least = [w + 2 * INSET for w in least]
    if sum(widths) <= LINE:
        return [round(w, 1) for w in widths]
    # Too wide: as typst does, columns within their fair share of what is left keep their width, the others
    # share the rest equally (never below their longest word).
    fixed: set[int] = set()
    while True:
        flexible = [j for j in range(len(widths)) if j not in fixed]
        if not flexible:
            break
        fair = (LINE - sum(widths[j] for j in fixed)) / len(flexible)
        within = [j for j in flexible if widths[j] <= fair]
        if not within:
            for j in flexible:
                widths[j] = max(fair, least[j])
            break
        fixed.update(within)
    return [round(w, 1) for w in widths]

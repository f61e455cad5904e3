"""Where each real network comes from: its folder name and its original public files.

A data folder (``ESNSIM_DATA``, or the download cache) holds one sub-folder per data set, named
as below; each sub-folder holds the files the loader reads. ``esnsim datasets fetch NAME``
downloads the original files from the URLs here (the publishers' own copies) into it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_STANFORD = "http://sna.stanford.edu/sna_R_labs/data/"
_SNAP = "https://snap.stanford.edu/data/"
_RNET = "https://raw.githubusercontent.com/bavla/Rnet/master/net/mRel/Lazega/"


@dataclass(frozen=True)
class Source:
    """One data set's folder and files.

    Attributes
    ----------
    folder : str
        The sub-folder of a data folder that holds the files (as in the shared layout).
    downloads : dict
        File name in the folder -> the URL it is downloaded from (``.gz`` URLs are unpacked).
    reads : tuple
        The files the loader reads (made from the downloads when they differ).
    home : str
        The page that describes the data set (named in errors).
    """

    folder: str
    downloads: dict[str, str] = field(default_factory=dict)
    reads: tuple[str, ...] = ()
    home: str = ""


SOURCES: dict[str, Source] = {
    "krackhardt": Source(
        folder="krackhardt_hightech",
        downloads={
            name: _STANFORD + name
            for name in (
                "Krack-High-Tec-Attributes.csv",
                "Krack-High-Tec-edgelist-Advice.txt",
                "Krack-High-Tec-edgelist-Friendship.txt",
                "Krack-High-Tec-edgelist-ReportsTo.txt",
            )
        },
        reads=(
            "Krack-High-Tec-Attributes.csv",
            "Krack-High-Tec-edgelist-Advice.txt",
            "Krack-High-Tec-edgelist-Friendship.txt",
            "Krack-High-Tec-edgelist-ReportsTo.txt",
        ),
        home=_STANFORD,
    ),
    "email_eu_core": Source(
        folder="email_eu_core",
        downloads={
            "email-Eu-core.txt": _SNAP + "email-Eu-core.txt.gz",
            "email-Eu-core-department-labels.txt": _SNAP + "email-Eu-core-department-labels.txt.gz",
        },
        reads=("email-Eu-core.txt", "email-Eu-core-department-labels.txt"),
        home=_SNAP + "email-Eu-core.html",
    ),
    "lazega": Source(
        folder="lazega_lawfirm",
        downloads={"Lazega-Law-Firm.paj": _RNET + "Lazega-Law-Firm.paj"},
        reads=("nodes.csv", "edges.csv"),
        home=_RNET + "Lazega-Law-Firm.paj",
    ),
}

#: The figures a correct copy gives (people, undirected ties): checked after a download.
EXPECTED = {"krackhardt": (21, 159), "email_eu_core": (1005, 16_064), "lazega": (71, 1_008)}

"""Packages of esnsim (the rest of the metadata is in pyproject.toml).

The shipped scenarios live at the repository's root (``scenarios/``, where the README's paths
point) and are installed as package data under ``simulation/scenarios/``, so that
``esnsim run grassroots`` finds them after ``pip install .`` too. pyproject.toml alone cannot
map a folder outside ``simulation/`` into it while still discovering the packages.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        # namespace packages too, as pyproject's packages.find did: the data folders
        *find_namespace_packages(include=["simulation*"], exclude=["*__pycache__*"]),
        "simulation.scenarios",
    ],
    package_dir={"simulation.scenarios": "scenarios"},
)

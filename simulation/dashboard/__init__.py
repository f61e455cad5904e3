"""The Solara dashboard (``esnsim dashboard``): one run on Mesa's SolaraViz, and a compare page.

- :mod:`~simulation.dashboard.levers`: a plan built from the sliders, the Mesa model they make;
- :mod:`~simulation.dashboard.network`: the organisation's network coloured by stage;
- :mod:`~simulation.dashboard.single`: the single-run page;
- :mod:`~simulation.dashboard.uploads`: uploaded scenarios, HR exports and plausible regions,
  validated as the CLI does;
- :mod:`~simulation.dashboard.pickers`: a file picker beside a drop zone, for every upload;
- :mod:`~simulation.dashboard.hr_form`: an HR export's column mapping and reading options, and
  what was read;
- :mod:`~simulation.dashboard.compare_page`: the compare page;
- :mod:`~simulation.dashboard.compare_results`: its results (the report's answer, value for
  money, the parameters' uncertainty);
- :mod:`~simulation.dashboard.style`: style rules the pages share;
- :mod:`~simulation.dashboard.app`: the pages, served by ``solara run``;
- :mod:`~simulation.dashboard.server`: ``solara run`` behind a guard (the asset cache read-only,
  requests for another host name or from another site refused);
- :mod:`~simulation.dashboard.assets`: Solara's JavaScript from the npm registry (offline).
"""

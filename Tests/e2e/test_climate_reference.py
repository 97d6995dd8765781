"""The climate maths against the reference implementations DESIGN.md names:
change points equal ruptures' exact PELT (l2, jump=1) and network measures
equal networkx's, over many random inputs."""
import json
import random
import subprocess

import networkx as nx
import numpy as np
import pytest
import ruptures as rpt


def thaw_json(thaw_bin, args, payload):
    result = subprocess.run([thaw_bin, "climate", *args], input=json.dumps(payload), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def planted_series(rng):
    """Regimes of random length and level with noise: the warm and cold spells PELT must find."""
    series = []
    for _ in range(rng.randint(1, 5)):
        level, spread = rng.uniform(-3, 3), rng.uniform(0.05, 1.5)
        series += [rng.gauss(level, spread) for _ in range(rng.randint(3, 40))]
    return series


def test_pelt_equals_ruptures_on_many_random_series(thaw_bin):
    rng = random.Random(20261126)
    checked = 0
    for _ in range(250):
        series = planted_series(rng)
        min_size, penalty = rng.randint(1, 5), rng.choice([rng.uniform(0.5, 30), 3.0, 2 * np.log(len(series))])
        z = np.asarray(series)
        z = (z - z.mean()) / z.std()
        args = ["changepoints", f"--penalty={float(penalty)!r}", "--min-size", str(min_size)]
        if len(series) < min_size:   # ruptures refuses a series shorter than one segment; so must we
            with pytest.raises(rpt.exceptions.BadSegmentationParameters):
                rpt.Pelt(model="l2", jump=1, min_size=min_size).fit(z).predict(pen=penalty)
            refused = subprocess.run([thaw_bin, "climate", *args], input=json.dumps(series), capture_output=True, text=True)
            assert refused.returncode != 0 and "minimum segment" in refused.stderr
            continue
        expected = rpt.Pelt(model="l2", jump=1, min_size=min_size).fit(z).predict(pen=penalty)
        got = thaw_json(thaw_bin, ["changepoints", f"--penalty={float(penalty)!r}", "--min-size", str(min_size)], series)["breakpoints"]
        assert got == expected, f"series of {len(series)}, min_size {min_size}, penalty {penalty}"
        checked += 1
    assert checked > 200


def test_changepoints_refuses_bad_input(thaw_bin):
    for args, payload, words in [(["--penalty", "0"], [1, 2, 3], "positive"), (["--penalty=-2"], [1, 2], "positive"),
                                 (["--min-size", "0"], [1, 2], "min-size"), ([], {"not": "a list"}, "JSON array")]:
        result = subprocess.run([thaw_bin, "climate", "changepoints", *args], input=json.dumps(payload), capture_output=True, text=True)
        assert result.returncode != 0 and words in result.stderr, (args, result.stderr)


def test_network_measures_equal_networkx_on_many_random_graphs(thaw_bin):
    rng = random.Random(7)
    for trial in range(150):
        n = rng.randint(1, 28)
        graph = nx.gnp_random_graph(n, rng.uniform(0.05, 0.6), seed=trial)
        sides = {v: rng.choice(["primary-care", "central-system", "other"]) for v in graph.nodes}
        payload = {"nodes": [{"id": f"o{v}", "side": sides[v]} for v in graph.nodes],
                   "ties": [[f"o{a}", f"o{b}"] for a, b in graph.edges]}
        got = thaw_json(thaw_bin, ["network"], payload)
        assert got["density"] == pytest.approx(nx.density(graph), abs=1e-12)
        degree = nx.degree_centrality(graph) if n > 1 else {v: 1.0 for v in graph.nodes}
        between = nx.betweenness_centrality(graph, normalized=True)
        for v in graph.nodes:
            assert got["degree"][f"o{v}"] == pytest.approx(degree[v], abs=1e-12)
            assert got["betweenness"][f"o{v}"] == pytest.approx(between[v], abs=1e-9)
        degrees = [d for _, d in graph.degree()]
        centralisation = sum(max(degrees) - d for d in degrees) / ((n - 1) * (n - 2)) if n > 2 else 0
        assert got["degreeCentralisation"] == pytest.approx(centralisation, abs=1e-12)
        primary = [v for v in graph.nodes if sides[v] == "primary-care"]
        central = [v for v in graph.nodes if sides[v] == "central-system"]
        pairs = len(primary) * len(central)
        if pairs:
            direct = sum(graph.has_edge(p, c) for p in primary for c in central)
            assert got["directness"] == pytest.approx(direct / pairs)
        else:
            assert got.get("directness") is None

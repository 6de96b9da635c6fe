"""gerokg.agreement: aligning two curations by quote and measuring their agreement."""

from __future__ import annotations

from pathlib import Path

from gerokg.sources.agreement import compare_passes, epistemic_status, load_pass

OURS = """
claims:
  - {id: C0001, kind: mechanism, polarity: affirmed, subject: "CHEBI:9168 ! sirolimus",
     predicate: "RO:0000087 ! has role", object: "CHEBI:68481 ! mTOR inhibitor",
     quote: "Rapamycin and its analogs inhibit mTOR."}
  - {id: C0002, kind: refuted_expectation, polarity: affirmed, subject: "CHEBI:9168 ! sirolimus",
     predicate: "GEROKG:0000203 ! increases incidence of", object: "MONDO:0004992 ! cancer",
     quote: "It was expected that rapamycin would increase the risk of cancer."}
  - {id: C0003, kind: mechanism, polarity: affirmed, subject: "GEROKG:0000054 ! rapalog",
     predicate: "RO:0002215 ! capable of", object: "GO:0010508 ! positive regulation of autophagy",
     quote: "Rapalogs may induce autophagy."}
"""
THEIRS = """
- {n: 1, kind: assertion, subtype: mechanism, polarity: affirmed, subject: "CHEBI:9168 ! sirolimus",
   predicate: "RO:0002449 ! directly negatively regulates activity of", object: "HGNC:3942 ! MTOR",
   quote: "Rapamycin and its analogs inhibit mTOR"}
- {n: 2, kind: refuted_expectation, polarity: affirmed, subject: "CHEBI:9168 ! sirolimus",
   predicate: "RO:0003306 ! contributes to frequency of condition", object: "MONDO:0004992 ! cancer",
   quote: "It was expected that rapamycin would increase the risk of cancer."}
- {n: 3, kind: hypothesis, polarity: affirmed, subject: "NATIVE: rapalog",
   predicate: "RO:0002215 ! capable of", object: "GO:0010508 ! positive regulation of autophagy",
   quote: "Rapalogs may induce autophagy."}
- {n: 4, kind: methodological_statement, polarity: affirmed, subject: "NATIVE: further studies",
   predicate: "NATIVE: required to address", object: "NATIVE: open questions",
   quote: "Further studies are required to address these incognita."}
"""


def test_alignment_and_rates(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(OURS)
    (tmp_path / "theirs.yaml").write_text(THEIRS)
    r = compare_passes(tmp_path / "ours.yaml", tmp_path / "theirs.yaml", names={"rapalog": "GEROKG:0000054"})
    assert [(p.ours.id, p.theirs.id) for p in r.pairs] == [("C0001", "1"), ("C0002", "2"), ("C0003", "3")]
    assert [c.id for c in r.unmatched_theirs] == ["4"]
    assert r.pairs[0].differs == ["predicate", "object"]
    assert r.pairs[2].differs == ["status", "kind"]  # NATIVE: rapalog is read as GEROKG:0000054
    s = r.summary()
    assert s["agree_status"] == round(2 / 3, 3) and s["agree_subject"] == 1.0 and s["agree_triple"] == round(1 / 3, 3)
    assert -1 <= s["kappa_status"] <= 1


def test_statuses_and_reading() -> None:
    assert epistemic_status("clinical_observation") == "assertion"
    assert epistemic_status("assertion") == "assertion"
    assert epistemic_status("rhetorical_question") == "rhetorical_question"
    claims = load_pass(Path(__file__).resolve().parents[1] / "ontology" / "claims" / "review-claims.yaml")
    assert len(claims) == 290 and claims[0].subject == "CHEBI:9168"

"""A synthetic national dataset: every council in England in some programme, at the scale the
dashboard must stay fast for (400 programmes, 20,000 milestones × 40 quarterly snapshots, 2,000
indicators × 60 monthly values, ten financial years of savings, 5,000 risks, 3,000 key dates,
1,600 commissioner reports). Seeded: the same seed gives the same frames. Every generated row is
marked `illustrative`.

Pure: takes the real `authority` frame, returns one DataFrame per table.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from monitor.periods import quarter_of

SOURCE = "illustrative"
KINDS = ["corporate improvement", "DfE commission", "shared management", "strategic alliance", "MOU collaboration"]
STATUSES = ["not started", "on track", "at risk", "off track", "complete", "dropped"]
SNAPSHOT_DATES = pd.date_range(end="2026-09-30", periods=40, freq="QE")  # 31 Dec 2016 … 30 Sep 2026
MONTH_ENDS = pd.date_range(end="2026-09-30", periods=60, freq="ME")
CONFIDENCE = ["Green", "Amber/Green", "Amber", "Amber/Red", "Red"]


def generate(authorities: pd.DataFrame, *, seed: int = 2026, programmes: int = 400, milestones: int = 20_000,
             indicators: int = 2_000, risks: int = 5_000, key_dates: int = 3_000, reports: int = 1_600) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    current = authorities[authorities["abolished_date"].isna()]
    childrens = current[current["is_childrens_services"]]["ons_code"].to_numpy()
    everyone = current["ons_code"].to_numpy()

    # Programmes: start 2012–2016 so every one has the 40 quarterly snapshots; a quarter closed.
    pids = [f"nat-p{i:04d}" for i in range(1, programmes + 1)]
    starts = pd.to_datetime("2012-01-01") + pd.to_timedelta(rng.integers(0, 5 * 365, programmes), unit="D")
    closed = rng.random(programmes) < 0.25
    closed[0] = False
    kinds = rng.choice(KINDS, programmes)
    programme = pd.DataFrame({
        "programme_id": pids,
        "programme_name": [f"National programme {i:04d} ({k})" for i, k in enumerate(kinds, 1)],
        "kind": kinds, "legal_basis": "illustrative", "start_date": starts.date,
        "end_date": [pd.Timestamp("2026-10-31").date() if c else None for c in closed],
        "status": np.where(closed, "closed", "active"),
        "summary": "Generated programme for the national-scale benchmark.", "source": SOURCE,
    })

    # Parties: a supported council with children's services and one or two partners; every
    # children's-services council appears at least once.
    party_rows = []
    order = rng.permutation(childrens)
    for i, pid in enumerate(pids):
        supported = order[i % len(order)]
        partners = rng.choice(everyone[everyone != supported], size=int(rng.integers(1, 3)), replace=False)
        party_rows.append((pid, supported, "supported council", False))
        for j, partner in enumerate(partners):
            party_rows.append((pid, partner, "improvement partner" if j == 0 else "partner", j == 0))
    programme_party = pd.DataFrame(party_rows, columns=["programme_id", "ons_code", "role", "is_lending"])
    programme_party["source"] = SOURCE
    lenders = programme_party[programme_party["is_lending"]].set_index("programme_id")["ons_code"]
    supported_of = programme_party[programme_party["role"] == "supported council"].set_index("programme_id")["ons_code"]

    # Work streams: 5 per programme.
    ws = [(f"{pid}-w{k}", pid, f"Work stream {k}", k <= 2, supported_of[pid], "Programme board")
          for pid in pids for k in range(1, 6)]
    workstream = pd.DataFrame(ws, columns=["workstream_id", "programme_id", "workstream_name", "is_primary",
                                           "lead_ons_code", "board"])
    workstream["source"] = SOURCE

    # Milestones: the largest programme has 1,000; the rest share the remainder.
    largest = min(1_000, milestones // 4)
    counts = np.full(programmes, (milestones - largest) // (programmes - 1))
    counts[0] = largest
    counts[1:(milestones - counts.sum()) + 1] += 1
    m_pid = np.repeat(pids, counts)
    n = len(m_pid)
    start_of = dict(zip(pids, pd.to_datetime(programme["start_date"])))
    m_start = pd.to_datetime(pd.Series(m_pid).map(start_of)).to_numpy()
    baseline = pd.to_datetime(m_start) + pd.to_timedelta(rng.integers(90, 5_000, n), unit="D")
    slip = np.where(rng.random(n) < 0.4, rng.integers(0, 400, n), 0)
    forecast = baseline + pd.to_timedelta(slip, unit="D")
    status = rng.choice(STATUSES, n, p=[0.1, 0.35, 0.12, 0.08, 0.33, 0.02])
    # A milestone is complete only if its forecast has come by the last reporting date; it was
    # completed on its forecast date.
    last_report = SNAPSHOT_DATES[-1]
    status = np.where((status == "complete") & (forecast > last_report), "on track", status)
    completed = np.where(status == "complete", forecast.values.astype("datetime64[us]"), np.datetime64("NaT"))
    milestone = pd.DataFrame({
        "milestone_id": [f"{p}-m{i:04d}" for p, i in zip(m_pid, np.arange(n))],
        "programme_id": m_pid,
        "workstream_id": [f"{p}-w{k}" for p, k in zip(m_pid, rng.integers(1, 6, n))],
        "milestone_title": [f"Milestone {i}" for i in range(n)],
        "owner": rng.choice(["Chief Executive", "Director of Children's Services", "Director of Finance",
                             "Head of HR", "Programme Director"], n),
        "baseline_due_date": baseline.date, "forecast_due_date": forecast.date,
        "completed_date": pd.to_datetime(completed).date,
        "status": status, "evidence": None, "source": SOURCE,
    })
    milestone.loc[milestone["status"] != "complete", "completed_date"] = None

    # 40 quarterly snapshots per milestone: forecasts drift later over time for slipped ones (never
    # past the final forecast); a complete milestone reads complete from its completion on.
    reps = len(SNAPSHOT_DATES)
    step = np.tile(np.arange(reps), n)
    snap_forecast = np.repeat(baseline.values, reps) + (step * np.repeat(slip, reps) // (reps - 1)).astype("timedelta64[D]")
    snap_dates = np.tile(SNAPSHOT_DATES.values, n)
    snap_status = np.repeat(status, reps)
    done = np.repeat(completed.astype("datetime64[us]"), reps)
    not_yet = (snap_status == "complete") & (snap_dates < done)
    snap_status = np.where(not_yet, "on track", snap_status)
    milestone_snapshot = pd.DataFrame({
        "milestone_id": np.repeat(milestone["milestone_id"].to_numpy(), reps),
        "reporting_date": np.tile(SNAPSHOT_DATES.date, n),
        "status": snap_status,
        "forecast_due_date": pd.to_datetime(snap_forecast).date,
        "source": SOURCE,
    })

    # Indicators: 2,000 (no-detriment for the lending council, improvement for the supported one).
    i_pid = rng.choice(pids, indicators)
    purpose = np.where(rng.random(indicators) < 0.5, "no_detriment", "improvement")
    i_ons = [lenders.get(p, supported_of[p]) if pu == "no_detriment" else supported_of[p] for p, pu in zip(i_pid, purpose)]
    iids = [f"nat-i{i:05d}" for i in range(indicators)]
    indicator = pd.DataFrame({
        "indicator_id": iids, "ons_code": i_ons, "programme_id": i_pid,
        "indicator_name": [f"Indicator {i}" for i in range(indicators)], "purpose": purpose, "unit": "%",
        "improvement": rng.choice(["increase", "decrease", "neutral"], indicators), "dfe_measure": None,
        "baseline_value": None, "baseline_period": "first 24 months",
        "baseline_end_date": MONTH_ENDS[23].date(), "target_value": None, "tolerance_value": None, "source": SOURCE,
    })
    months = len(MONTH_ENDS)
    levels = np.repeat(rng.uniform(10, 60, indicators), months)
    noise = rng.normal(0, 2, indicators * months)
    drift = np.tile(np.arange(months), indicators) * np.repeat(rng.normal(0, 0.05, indicators), months)
    indicator_value = pd.DataFrame({
        "indicator_id": np.repeat(iids, months),
        "period_label": np.tile([d.strftime("%b %Y") for d in MONTH_ENDS], indicators),
        "period_end_date": np.tile(MONTH_ENDS.date, indicators),
        "value": np.round(levels + noise + drift, 1), "note": None, "source": SOURCE,
    })

    # Savings: ten financial years per programme and supported council, three categories.
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(2016, 2026)]
    cats = ["staffing", "procurement", "accommodation"]
    rows = []
    for pid in pids:
        for fy in years:
            for c in cats:
                planned = float(rng.integers(5, 200)) * 1_000
                rows.append((pid, f"{pid}-w1", supported_of[pid], fy, c, planned,
                             planned * rng.uniform(0.7, 1.1), planned * rng.uniform(0.5, 1.05)))
    saving = pd.DataFrame(rows, columns=["programme_id", "workstream_id", "ons_code", "financial_year", "category",
                                         "planned_gbp", "forecast_gbp", "delivered_gbp"])
    saving.insert(0, "saving_id", [f"nat-s{i:06d}" for i in range(len(saving))])
    saving["is_cashable"] = True
    saving["is_recurring"] = True
    saving[["planned_gbp", "forecast_gbp", "delivered_gbp"]] = saving[["planned_gbp", "forecast_gbp", "delivered_gbp"]].round(2)
    saving["source"] = SOURCE

    # Risks with eight quarterly snapshots each.
    r_pid = rng.choice(pids, risks)
    r_open = rng.random(risks) < 0.8
    lik, imp = rng.integers(1, 6, risks), rng.integers(1, 6, risks)
    raised = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 3_000, risks), unit="D")
    rids = [f"nat-r{i:05d}" for i in range(risks)]
    risk = pd.DataFrame({
        "risk_id": rids, "programme_id": r_pid, "description": [f"Risk {i}" for i in range(risks)],
        "category": rng.choice(["financial", "capacity", "reputational", "governance", "service delivery"], risks),
        "owner": "Programme Director", "inherent_likelihood": np.minimum(lik + 1, 5), "inherent_impact": np.minimum(imp + 1, 5),
        "likelihood": lik, "impact": imp, "target_likelihood": np.maximum(lik - 1, 1), "target_impact": np.maximum(imp - 1, 1),
        "mitigation": "Mitigation plan", "status": np.where(r_open, "open", "closed"), "raised_date": raised.date,
        "last_reviewed_date": (pd.Timestamp("2026-06-30") + pd.to_timedelta(rng.integers(0, 120, risks), unit="D")).date,
        "next_review_date": (pd.Timestamp("2026-09-30") + pd.to_timedelta(rng.integers(0, 150, risks), unit="D")).date,
        "closed_date": np.where(r_open, None, pd.Timestamp("2026-10-15").date()), "source": SOURCE,
    })
    snap_dates = SNAPSHOT_DATES[-8:]
    risk_snapshot = pd.DataFrame({
        "risk_id": np.repeat(rids, len(snap_dates)), "reporting_date": np.tile(snap_dates.date, risks),
        "likelihood": np.clip(np.repeat(lik, len(snap_dates)) + rng.integers(-1, 2, risks * len(snap_dates)), 1, 5),
        "impact": np.repeat(imp, len(snap_dates)), "status": "open", "source": SOURCE,
    })

    # Key dates: quarterly boards and reports, reviews, clauses; some past, most ahead.
    k_pid = rng.choice(pids, key_dates)
    k_kind = rng.choice(["DfE report due", "board", "review", "break clause", "termination clause", "other"], key_dates,
                        p=[0.3, 0.4, 0.15, 0.05, 0.05, 0.05])
    key_date = pd.DataFrame({
        "key_date_id": [f"nat-k{i:05d}" for i in range(key_dates)], "programme_id": k_pid,
        "due_date": (pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 1_000, key_dates), unit="D")).date,
        "kind": k_kind, "title": [f"{k.capitalize()} {i}" for i, k in enumerate(k_kind)],
        "notice_period_months": np.where(np.isin(k_kind, ["break clause", "termination clause"]), 6, None),
        "source": SOURCE,
    })

    # Commissioner reports: four quarters for each of 400 programmes (the last one a draft).
    quarters = SNAPSHOT_DATES[-4:]
    rep_rows = []
    for pid in pids[: reports // len(quarters)]:
        for q in quarters:
            submitted = q != quarters[-1]
            level = CONFIDENCE[int(rng.integers(0, 5))]
            rep_rows.append({
                "report_id": f"{pid}-{quarter_of(q)}-v1", "programme_id": pid, "quarter_label": quarter_of(q),
                "reporting_date": q.date(), "version": 1, "corrects_report_id": None, "author": "Commissioner",
                "status": "submitted" if submitted else "draft", "proposed_confidence": level,
                "confidence": level if submitted else None, "confidence_reason": "Generated." if submitted else None,
                "narrative_json": json.dumps({"summary": "Generated narrative."}),
                "figures_json": json.dumps({"milestones_complete": int(rng.integers(0, 20))}) if submitted else None,
                "submitted_by": "commissioner@example.gov.uk" if submitted else None,
                "submitted_at": (q + pd.Timedelta(days=20)).to_pydatetime() if submitted else None, "source": SOURCE,
            })
    commissioner_report = pd.DataFrame(rep_rows)

    return {
        "programme": programme, "programme_party": programme_party, "workstream": workstream,
        "milestone": milestone, "milestone_snapshot": milestone_snapshot, "indicator": indicator,
        "indicator_value": indicator_value, "commissioner_report": commissioner_report, "saving": saving,
        "risk": risk, "risk_snapshot": risk_snapshot, "key_date": key_date,
    }

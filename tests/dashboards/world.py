"""A small world of projects below the dashboard's test tree (fixture
`world` in conftest): two tiers, programs and mechanisms over two years,
with ledger entries, lights judged on TODAY."""

import datetime

from dashboards import rollups
from projects.choices import LedgerStatus
from tests import factories as f

TODAY = datetime.date(2024, 7, 1)


def build_world(tree):
    """Projects of two programs and two mechanisms over two years, with
    ledger entries, below the city, a county and its township."""
    tiers = [f.TierFactory(), f.TierFactory()]
    programs = [f.ProgramFactory(), f.ProgramFactory()]
    mechanisms = [f.MechanismFactory(), f.MechanismFactory()]
    units = [tree["county_a"], tree["township_a"], tree["county_b"], tree["department"]]
    projects = []
    for index in range(12):
        project = f.ProjectFactory(
            lead_unit=units[index % len(units)],
            tier=tiers[(index // 3) % 2],
            program=programs[(index // 2) % 2],
            year=2023 + index % 2,
            mechanisms=mechanisms[index % 2 : 1 + index % 3],
        )
        for month in range(1, 1 + index % 4 + 1):
            f.LedgerEntryFactory(
                project=project,
                entry_date=datetime.date(project.year, month, 20),
                progress_percent=20 * month,
                status=LedgerStatus.VERIFIED if month % 2 else LedgerStatus.SUBMITTED,
            )
        projects.append(project)
    rollups.refresh_all(today=TODAY)
    return {"projects": projects, "tiers": tiers, "programs": programs, "mechanisms": mechanisms}

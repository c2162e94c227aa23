"""Formation optimiser: discipline hours across the teams, fair by need, within the budget.

``optimize`` takes plain tables (need per team and theme, costs, budget) and knows nothing
of geometry or the app. Typical use::

    import optimize
    scenario = optimize.load_scenario()              # embedded Haarlem default
    model = optimize.FormationModel.from_frames(scenario, need)   # need: team x theme
    result = model.solve()                           # immutable Result
    result = model.solve(budget=5_500_000)           # warm what-if re-solve
"""

from optimize._errors import InfeasibleError, SolverError, ValidationError
from optimize._format import euro, hours, pct
from optimize.amount import format_amount, parse_amount
from optimize.analysis import (
    PhasedPlan,
    allocate_all,
    budget_sweep,
    phased_plan,
    weight_sensitivity,
)
from optimize.compare import (
    compare_parameters,
    compare_results,
    formation_difference,
    scenario_parameters,
    shortfall_split,
    structure_key,
)
from optimize.export import (
    formation_csv_bytes,
    formation_json_bytes,
    formation_xlsx_bytes,
    write_formation_outputs,
)
from optimize.model import FormationModel, Result, solve
from optimize.need import complete_need, discipline_need, hours_per_need_unit, need_targets
from optimize.proposal import Proposal, propose_scenario
from optimize.scenario import (
    DEFAULT_SCENARIO,
    Discipline,
    Phase,
    Scenario,
    load_scenario,
    parse_scenario,
    scenario_to_toml,
)
from optimize.why import LIMITS, compare_teams, team_disciplines, team_themes

__all__ = [
    "DEFAULT_SCENARIO",
    "LIMITS",
    "Discipline",
    "FormationModel",
    "InfeasibleError",
    "Phase",
    "PhasedPlan",
    "Proposal",
    "Result",
    "Scenario",
    "SolverError",
    "ValidationError",
    "allocate_all",
    "budget_sweep",
    "compare_parameters",
    "compare_results",
    "compare_teams",
    "complete_need",
    "discipline_need",
    "euro",
    "format_amount",
    "formation_csv_bytes",
    "formation_difference",
    "formation_json_bytes",
    "formation_xlsx_bytes",
    "hours",
    "hours_per_need_unit",
    "load_scenario",
    "need_targets",
    "parse_amount",
    "parse_scenario",
    "pct",
    "phased_plan",
    "propose_scenario",
    "scenario_parameters",
    "scenario_to_toml",
    "shortfall_split",
    "solve",
    "structure_key",
    "team_disciplines",
    "team_themes",
    "weight_sensitivity",
    "write_formation_outputs",
]

"""Small builders for competency data in tests, without going through the importers."""

from __future__ import annotations

from productops.competencies.models import (
    Area,
    Competency,
    CompetencyModel,
    Expectation,
    Ladder,
    LadderLevel,
    ModelVersion,
)
from productops.org.models import Discipline


def make_model_version(
    name: str = "Test PM model",
    keys: tuple[str, ...] = ("discovery", "delivery", "strategy"),
    steps: int = 5,
    discipline: str = Discipline.PRODUCT,
    number: int = 1,
) -> ModelVersion:
    """A model version with one area holding one competency per key, scale 1..steps."""
    model, _ = CompetencyModel.objects.get_or_create(
        name=name,
        defaults={"slug": name.lower().replace(" ", "-"), "discipline": discipline},
    )
    scale = [
        {"step": s, "label": f"Step {s}", "meaning": f"Meaning {s}"} for s in range(1, steps + 1)
    ]
    document = {
        "name": name,
        "version": number,
        "discipline": discipline,
        "scale": scale,
        "areas": [
            {
                "key": "core",
                "name": "Core",
                "competencies": [
                    {
                        "key": k,
                        "name": k.title(),
                        "description": "",
                        "levels": [f"{k} {s}" for s in range(1, steps + 1)],
                    }
                    for k in keys
                ],
            }
        ],
    }
    version = ModelVersion.objects.create(
        model=model, number=number, scale=scale, document=document
    )
    area = Area.objects.create(version=version, key="core", name="Core", position=0)
    for position, key in enumerate(keys):
        Competency.objects.create(
            version=version,
            area=area,
            key=key,
            name=key.title(),
            position=position,
            levels=[f"{key} {s}" for s in range(1, steps + 1)],
        )
    return version


def make_ladder(
    version: ModelVersion,
    levels: dict[str, dict[str, int]],
    name: str = "Product ladder",
    discipline: str = Discipline.PRODUCT,
) -> Ladder:
    """levels: level name -> {competency key: expected step}, in ladder order."""
    ladder = Ladder.objects.create(name=name, discipline=discipline, model=version.model)
    for position, (level_name, expected) in enumerate(levels.items()):
        level = LadderLevel.objects.create(
            ladder=ladder,
            key=level_name.lower().replace(" ", "-"),
            name=level_name,
            position=position,
        )
        Expectation.objects.bulk_create(
            Expectation(level=level, competency_key=key, step=step)
            for key, step in expected.items()
        )
    return ladder

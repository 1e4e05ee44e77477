from ninja import Router

router = Router(tags=["competencies: gaps"])

from ninja import Router

router = Router(tags=["backlog: imports"])

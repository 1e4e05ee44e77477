from ninja import Router

router = Router(tags=["coaching: communities"])

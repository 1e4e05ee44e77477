from ninja import Router

router = Router(tags=["coaching: one_on_ones"])

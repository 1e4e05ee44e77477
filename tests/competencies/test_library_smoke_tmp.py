import pytest
from productops.competencies.actions import do_load_builtin_ladders, do_load_builtin_models

@pytest.mark.django_db
def test_smoke():
    versions = do_load_builtin_models()
    print([str(v) for v in versions])
    ladders = do_load_builtin_ladders()
    print(ladders)
    assert do_load_builtin_models() == versions

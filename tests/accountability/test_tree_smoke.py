from accountability.models import Unit
from projects.models import Project


def test_unit_paths_follow_the_tree(tree):
    township = tree["township_a"]
    county = tree["county_a"]
    assert township.path == f"{tree['city'].path}{county.pk}/{township.pk}/"
    assert township.is_below(county)
    assert not county.is_below(township)


def test_editor_sees_own_subtree_only(tree, editor_a):
    visible = set(Unit.objects.restrict(editor_a).values_list("name", flat=True))
    assert visible == {"甲县", "甲县一镇"}


def test_commission_sees_everything(tree, commission):
    assert Unit.objects.restrict(commission).count() == Unit.objects.count()
    assert Project.objects.restrict(commission).count() == 0

"""Who may estimate: staff and the group “statisticians”; an estimation is its owner's."""

from django.contrib.auth.models import AnonymousUser

from factories import UserFactory
from factories_indicators import statistician
from target87.indicators.models import Estimation


def test_estimate_granted_to_staff_and_statisticians_only(db, convener):
    assert UserFactory(is_staff=True).has_perm("indicators.estimate")
    assert statistician().has_perm("indicators.estimate")
    assert not UserFactory().has_perm("indicators.estimate")
    assert not AnonymousUser().has_perm("indicators.estimate")
    # convening a consultation does not make one a statistician
    assert not convener.is_staff
    assert not convener.has_perm("indicators.estimate")


def test_statisticians_group_exists_after_migrations(db):
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name="statisticians").count() == 1


def test_estimation_used_by_its_owner_and_superusers_only(db):
    owner, other = statistician(), statistician()
    estimation = Estimation.objects.create(file_name="s.csv", checksum="0" * 64, file_format="csv", created_by=owner)
    assert owner.has_perm("indicators.use_estimation", estimation)
    assert not other.has_perm("indicators.use_estimation", estimation)
    assert UserFactory(is_superuser=True, is_staff=True).has_perm("indicators.use_estimation", estimation)

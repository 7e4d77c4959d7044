"""Every write of the talent services, by noun: awards (and campaigns and votes), the 托举
programme, academicians and engineers."""

from kexie.talent.services import academicians, awards, programme

__all__ = ["academicians", "awards", "programme"]

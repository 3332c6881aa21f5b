"""The router's table for an endpoint while one or two endpoint configs serve it.

`green_share` of the traffic goes to the green config's production variants and the rest to
the blue one's; within a config each variant gets its share of the config's weights. Shadow
variants mirror the requests of their own config: a shadow's fraction (its weight relative to
production's, at most 1) is scaled by that config's share of the traffic.
"""

from __future__ import annotations

from mlops.localcloud.serving import Routes
from mlops.localcloud.serving.control.fleets import ConfigDeployment, VariantFleet


def routes_for(blue: ConfigDeployment | None, green: ConfigDeployment | None, green_share: float) -> Routes:
    production: list[tuple[VariantFleet, float]] = []
    shadows: list[tuple[VariantFleet, float]] = []
    for deployment, share in ((blue, 1.0 - green_share), (green, green_share)):
        if deployment is None or share <= 0:
            continue
        production += [(deployment.variant(name), s * share) for name, s in deployment.shares().items()]
        shadows += [(v, deployment.shadow_fractions()[v.name] * share) for v in deployment.shadows]
    carrying = [(v, w) for v, w in production if w > 0] or production  # all-zero weights: the router decides
    return Routes(
        production=tuple((v.fleet, w) for v, w in carrying if v.fleet is not None),
        shadows=tuple((v.fleet, w) for v, w in shadows if w > 0 and v.fleet is not None),
    )


def show_traffic(blue: ConfigDeployment | None, green: ConfigDeployment | None, green_share: float,
                 green_instances: int | None = None) -> None:
    """Set what DescribeEndpoint shows as current: weights scaled by each side's share of the
    traffic, and the green instances carrying traffic (`green_instances`, else all of them)."""
    for deployment, share in ((blue, 1.0 - green_share), (green, green_share)):
        if deployment is None:
            continue
        for variant in deployment.variants:
            variant.current_weight = round(variant.weight * share, 6)
            if deployment is green:
                count = variant.spec.instance_count
                variant.current_instances = min(count, green_instances) if green_instances is not None else count
                if share <= 0:
                    variant.current_instances = 0
            else:
                variant.current_instances = variant.spec.instance_count


def fleet_weights(routes: Routes) -> dict[str, float]:
    """`<endpoint config>/<variant>` -> share of traffic, for the traffic history."""
    return _by_name(routes.production)


def shadow_weights(routes: Routes) -> dict[str, float]:
    return _by_name(routes.shadows)


def _by_name(entries) -> dict[str, float]:
    # An update to the config already active has two fleets of one name: they add up.
    out: dict[str, float] = {}
    for fleet, weight in entries:
        key = f"{fleet.spec.endpoint_config_name}/{fleet.spec.variant_name}"
        out[key] = round(out.get(key, 0.0) + weight, 6)
    return out

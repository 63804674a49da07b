"""Client- and tenant-wide lists of the objects that hang below processes and plans.

Incidents, KPIs and reviews belong to a process, milestones to a change plan; a
front end also lists them per client organisation and across the tenant. Each
list has one shape, in two places: `ClientOrganisation.<list>` and the root
`<list>(clientOrganisationId:)` (every visible client when null), both ordered
as the per-process / per-plan list is (milestones: oldest first). See specs.py.
"""

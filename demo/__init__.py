"""Demo network and generated data sets: the top layer.

It imports every domain app (agences, relation_client, reconquete, satisfaction) and none of
them imports it. `seed/` builds the demo network of `manage.py seed_demo`, `dataset/` the
load-test networks of `manage.py generate_dataset`, and both draw their customers from
`people/`.
"""

"""
The two editorial groups and what they may do.

Editors add and change every curated record and its inline rows (aliases, participants,
parties, citations) and send records to review. Reviewers may also publish, unpublish and
withdraw (the models' "publish_*" permissions), delete records and merge actors.

Permissions are normally created after all migrations have run (post_migrate), so this
migration creates the ones it needs first. Running it again resets both groups to this list.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = {"actors": ["actor", "tie"], "articles": ["source", "event", "agreement"]}
INLINE = {"actors": ["actoralias"], "articles": ["eventparticipant", "agreementparty", "citation"]}


def _codenames(app_models, actions):
    return [
        (app, f"{action}_{model}")
        for app, models in app_models.items()
        for model in models
        for action in actions
    ]


EDITORS = [
    *_codenames(CURATED, ["add", "change", "view"]),
    *_codenames(INLINE, ["add", "change", "delete", "view"]),
    *_codenames({"articles": ["topic"]}, ["add", "change", "view"]),
]
REVIEWERS = [
    *EDITORS,
    *_codenames(CURATED, ["delete", "publish"]),
    ("articles", "delete_topic"),
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label in CURATED:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for name, wanted in (("Editors", EDITORS), ("Reviewers", REVIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("actors", "0002_versions_and_publish_permission"),
        ("articles", "0002_versions_and_publish_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""The link with the complementary insurers gets one home: `Mutuelle` and `MutuelleContract`
come from `affiliation`, `Transmission` from `reimbursements`. Step 2 of 3 (step 1:
affiliation 0006 and reimbursements 0007 renamed the tables; step 3: affiliation 0007 and
reimbursements 0008 drop the old models from their app's state).

Nothing is copied: the models appear in this app's state over the renamed tables, the foreign
keys of this app's models now name them, and the content types move here, so that the
permissions granted to staff groups (and the admin log entries) follow the models.
"""

import uuid

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = (
    ("affiliation", "mutuelle"),
    ("affiliation", "historicalmutuelle"),
    ("affiliation", "mutuellecontract"),
    ("affiliation", "historicalmutuellecontract"),
    ("reimbursements", "transmission"),
)


def move_content_types(apps, schema_editor, *, to_new: bool = True) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old_label, model in MOVED:
        source, target = (old_label, "mutuelles") if to_new else ("mutuelles", old_label)
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a database created after this migration was written
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (permissions created by an earlier, partial run): keep the target's and
        # give it every grant made on the source's, so no group or user loses a right.
        for permission in Permission.objects.filter(content_type=old):
            kept, _ = Permission.objects.get_or_create(
                content_type=new,
                codename=permission.codename,
                defaults={"name": permission.name},
            )
            for group in permission.group_set.all():
                group.permissions.add(kept)
            for user in permission.user_set.all():
                user.user_permissions.add(kept)
        old.delete()


def move_content_types_back(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, to_new=False)


class Migration(migrations.Migration):
    dependencies = [
        ("affiliation", "0006_mutuelle_tables_to_mutuelles"),
        ("mutuelles", "0002_staff_permissions"),
        ("reimbursements", "0007_transmission_table_to_mutuelles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Mutuelle",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="nom")),
                        (
                            "amc_number",
                            models.CharField(
                                max_length=10,
                                unique=True,
                                verbose_name="numéro d'organisme complémentaire",
                            ),
                        ),
                        (
                            "contact_email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="e-mail de contact"
                            ),
                        ),
                        (
                            "contact_phone",
                            models.CharField(blank=True, max_length=20, verbose_name="téléphone"),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "mutuelle",
                        "verbose_name_plural": "mutuelles",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalMutuelle",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="nom")),
                        (
                            "amc_number",
                            models.CharField(
                                db_index=True,
                                max_length=10,
                                verbose_name="numéro d'organisme complémentaire",
                            ),
                        ),
                        (
                            "contact_email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="e-mail de contact"
                            ),
                        ),
                        (
                            "contact_phone",
                            models.CharField(blank=True, max_length=20, verbose_name="téléphone"),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical mutuelle",
                        "verbose_name_plural": "historical mutuelles",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalMutuelleContract",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "member_number",
                            models.CharField(max_length=30, verbose_name="numéro d'adhérent"),
                        ),
                        ("valid_from", models.DateField(verbose_name="début du contrat")),
                        (
                            "valid_until",
                            models.DateField(
                                blank=True, null=True, verbose_name="fin du contrat (exclue)"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("declared", "déclaré"),
                                    ("subscribed", "déclaré par la mutuelle"),
                                    ("confirmed", "confirmé par la mutuelle"),
                                    ("withdrawn", "retiré"),
                                ],
                                default="declared",
                                max_length=10,
                                verbose_name="statut",
                            ),
                        ),
                        (
                            "public_id",
                            models.UUIDField(
                                db_index=True, default=uuid.uuid4, verbose_name="identifiant public"
                            ),
                        ),
                        (
                            "mutuelle_reference",
                            models.CharField(
                                blank=True,
                                max_length=40,
                                verbose_name="référence du contrat à la mutuelle",
                            ),
                        ),
                        (
                            "subscribed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="déclaré par la mutuelle le"
                            ),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="lien actif depuis le"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="déclaré le"
                            ),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="modifié le"
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "declared_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="déclaré par",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="affiliation.insuredperson",
                                verbose_name="bénéficiaire",
                            ),
                        ),
                        (
                            "mutuelle",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="mutuelles.mutuelle",
                                verbose_name="mutuelle",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical contrat de complémentaire santé",
                        "verbose_name_plural": "historical contrats de complémentaire santé",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AlterField(
                    model_name="historicalmutuelleclient",
                    name="mutuelle",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="mutuelles.mutuelle",
                        verbose_name="mutuelle",
                    ),
                ),
                migrations.AlterField(
                    model_name="mutuelleclient",
                    name="mutuelle",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="api_clients",
                        to="mutuelles.mutuelle",
                        verbose_name="mutuelle",
                    ),
                ),
                migrations.AlterField(
                    model_name="webhookendpoint",
                    name="mutuelle",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="webhook",
                        to="mutuelles.mutuelle",
                        verbose_name="mutuelle",
                    ),
                ),
                migrations.AlterField(
                    model_name="webhookmessage",
                    name="mutuelle",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="webhook_messages",
                        to="mutuelles.mutuelle",
                        verbose_name="mutuelle",
                    ),
                ),
                migrations.CreateModel(
                    name="MutuelleContract",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "member_number",
                            models.CharField(max_length=30, verbose_name="numéro d'adhérent"),
                        ),
                        ("valid_from", models.DateField(verbose_name="début du contrat")),
                        (
                            "valid_until",
                            models.DateField(
                                blank=True, null=True, verbose_name="fin du contrat (exclue)"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("declared", "déclaré"),
                                    ("subscribed", "déclaré par la mutuelle"),
                                    ("confirmed", "confirmé par la mutuelle"),
                                    ("withdrawn", "retiré"),
                                ],
                                default="declared",
                                max_length=10,
                                verbose_name="statut",
                            ),
                        ),
                        (
                            "public_id",
                            models.UUIDField(
                                default=uuid.uuid4, unique=True, verbose_name="identifiant public"
                            ),
                        ),
                        (
                            "mutuelle_reference",
                            models.CharField(
                                blank=True,
                                max_length=40,
                                verbose_name="référence du contrat à la mutuelle",
                            ),
                        ),
                        (
                            "subscribed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="déclaré par la mutuelle le"
                            ),
                        ),
                        (
                            "confirmed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="lien actif depuis le"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="déclaré le"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="modifié le"),
                        ),
                        (
                            "declared_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="déclaré par",
                            ),
                        ),
                        (
                            "mutuelle",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contracts",
                                to="mutuelles.mutuelle",
                                verbose_name="mutuelle",
                            ),
                        ),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mutuelle_contracts",
                                to="affiliation.insuredperson",
                                verbose_name="bénéficiaire",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "contrat de complémentaire santé",
                        "verbose_name_plural": "contrats de complémentaire santé",
                        "ordering": ["person", "-valid_from", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Transmission",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "public_id",
                            models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "à transmettre"),
                                    ("sent", "transmis"),
                                    ("acknowledged", "reçu par la mutuelle"),
                                    ("rejected", "rejeté par la mutuelle"),
                                    ("dead", "en échec, à reprendre par un agent"),
                                ],
                                default="pending",
                                max_length=12,
                                verbose_name="état",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, verbose_name="tentatives"),
                        ),
                        (
                            "next_attempt_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="prochaine tentative"
                            ),
                        ),
                        (
                            "claimed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="pris en charge le"
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="transmis le"),
                        ),
                        (
                            "acknowledged_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="accusé de réception le"
                            ),
                        ),
                        (
                            "last_error",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="dernière erreur"
                            ),
                        ),
                        (
                            "feed_position",
                            models.BigIntegerField(null=True, verbose_name="position dans le flux"),
                        ),
                        (
                            "released_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="mis à disposition le"
                            ),
                        ),
                        (
                            "rejected_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="rejeté le"),
                        ),
                        (
                            "rejection_code",
                            models.CharField(
                                blank=True, max_length=40, verbose_name="motif de rejet"
                            ),
                        ),
                        (
                            "rejection_detail",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="précision du rejet"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="créé le"),
                        ),
                        (
                            "contract",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="mutuelles.mutuellecontract",
                                verbose_name="contrat",
                            ),
                        ),
                        (
                            "mutuelle",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reimbursement_transmissions",
                                to="mutuelles.mutuelle",
                                verbose_name="mutuelle",
                            ),
                        ),
                        (
                            "statement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transmissions",
                                to="reimbursements.statement",
                                verbose_name="décompte",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "transmission à la mutuelle",
                        "verbose_name_plural": "transmissions aux mutuelles",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
                migrations.AlterField(
                    model_name="webhookmessageitem",
                    name="transmission",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="webhook_item",
                        to="mutuelles.transmission",
                        verbose_name="transmission",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="mutuellecontract",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("valid_until__isnull", True),
                            ("valid_until__gt", models.F("valid_from")),
                            _connector="OR",
                        ),
                        name="affiliation_mutuelle_contract_ordered",
                    ),
                ),
                migrations.AddIndex(
                    model_name="transmission",
                    index=models.Index(
                        condition=models.Q(("status", "pending")),
                        fields=["id"],
                        name="reimb_transmission_pending",
                    ),
                ),
                migrations.AddIndex(
                    model_name="transmission",
                    index=models.Index(
                        condition=models.Q(("feed_position__isnull", True), ("status", "pending")),
                        fields=["id"],
                        name="reimb_transmission_unreleased",
                    ),
                ),
                migrations.AddIndex(
                    model_name="transmission",
                    index=models.Index(
                        fields=["mutuelle", "released_at"], name="reimb_transmission_released"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="transmission",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("feed_position__isnull", False)),
                        fields=("mutuelle", "feed_position"),
                        name="reimb_transmission_feed_position",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="transmission",
                    constraint=models.UniqueConstraint(
                        fields=("statement", "mutuelle"),
                        name="reimb_transmission_once_per_mutuelle",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

"""A received e-mail's bytes read into a message's fields: encoded and raw headers, the
new part of a reply, sanitised HTML, attachments within limits, and never an exception."""

import datetime
import random

import pytest

from relation_client.messaging.models import InboundFlag, InboundStatus
from relation_client.messaging.parsing import message_parse
from relation_client.messaging.threads import message_id_new
from tests.messaging import mails


def test_a_customers_mail_is_read_into_its_fields():
    raw = mails.mail(
        subject="Carte Técély refusée — ligne C3",
        message_id="<42.abc@voyageurs.fr>",
        date="Mon, 03 Nov 2026 10:15:00 +0100",
        headers={
            "In-Reply-To": "<rc.1@relation.exemple.fr>",
            "References": "<rc.0@relation.exemple.fr> <rc.1@relation.exemple.fr>",
        },
    )
    # folded, as long References headers are
    raw = raw.replace(b"exemple.fr> <rc.1", b"exemple.fr>\r\n <rc.1")

    parsed = message_parse(raw)
    fields = parsed.fields()

    assert fields["message_id"] == "<42.abc@voyageurs.fr>"
    assert fields["in_reply_to"] == "<rc.1@relation.exemple.fr>"
    assert fields["references"] == "<rc.0@relation.exemple.fr> <rc.1@relation.exemple.fr>"
    assert fields["sender_address"] == "helene.marechal@exemple.fr"  # case-folded
    assert fields["sender_name"] == "Hélène Maréchal"
    assert fields["to_address"] == "lyon@tcl-exemple.fr"
    assert fields["subject"] == "Carte Técély refusée — ligne C3"
    assert fields["sent_at"] == datetime.datetime(2026, 11, 3, 9, 15, tzinfo=datetime.UTC)
    assert "refusée aux valideurs" in fields["body_text"]
    assert fields["body_html"] == ""
    assert fields["raw"] == raw and fields["raw_size"] == len(raw)
    assert fields["flags"] == [] and fields["status"] == InboundStatus.RECEIVED
    assert fields["error"] == "" and fields["headers"] == {}


def test_an_iso_8859_1_encoded_subject_is_decoded_without_flag():
    fields = message_parse(mails.latin1_subject()).fields()
    assert fields["subject"] == "Re: Réclamation"
    assert fields["sender_name"] == "Renée Guérin"
    assert fields["flags"] == []


def test_raw_8bit_headers_are_decoded_leniently_and_flagged():
    fields = message_parse(mails.raw_8bit_headers()).fields()
    assert fields["subject"] == "Retard ligne C3 à Cusset, très gênant"
    assert fields["sender_name"] == "Françoise Éléonore"
    assert fields["sender_address"] == "francoise@exemple.fr"
    assert fields["body_text"] == "Le bus était en retard de vingt minutes."
    assert fields["flags"] == [InboundFlag.BAD_HEADER]


def test_raw_utf8_headers_are_accepted_as_rfc_6532_allows():
    raw = mails.mail(subject="x").replace(b"Subject: x", "Subject: Trajet annulé".encode())
    fields = message_parse(raw).fields()
    assert fields["subject"] == "Trajet annulé" and fields["flags"] == []


def test_an_unknown_charset_and_a_bad_date_are_flagged():
    raw = mails.mail(subject="x", date="le 3 novembre").replace(
        b"Subject: x", b"Subject: =?x-inconnu?q?R=E9seau?="
    )
    fields = message_parse(raw).fields()
    assert fields["subject"] == "Réseau"  # read as Windows-1252
    assert fields["sent_at"] is None
    assert fields["flags"] == [InboundFlag.BAD_HEADER]


def test_a_broken_boundary_is_flagged_and_the_text_salvaged():
    fields = message_parse(mails.broken_boundary()).fields()
    assert fields["flags"] == [InboundFlag.MALFORMED_MIME]
    assert fields["status"] == InboundStatus.RECEIVED  # readable enough to be filed
    assert fields["body_text"] == "J'ai oublié mon sac dans le tram T1 ce matin."
    assert fields["sender_name"] == "Bruno Lefèvre"


def test_html_is_sanitised_and_its_text_kept():
    fields = message_parse(mails.html_with_script()).fields()
    html = fields["body_html"]
    assert "<b>ma carte</b>" in html
    for dangerous in ("<script", "pirate.example", "onclick", "javascript:", "<img", "<style"):
        assert dangerous not in html
    assert fields["body_text"] == "Bonjour, ma carte ne passe plus.\nici"
    assert "pirate" not in fields["body_text"] and "color" not in fields["body_text"]


def test_the_plain_part_is_the_text_when_there_is_one():
    raw = mails.mail(text="Texte brut du client.", html="<p>Texte <i>HTML</i></p>")
    fields = message_parse(raw).fields()
    assert fields["body_text"] == "Texte brut du client."
    assert fields["body_html"] == "<p>Texte <i>HTML</i></p>"


@pytest.mark.parametrize(
    ("text", "new_part", "quoted"),
    [
        (
            mails.FRENCH_REPLY,
            "Bonjour,\n\nToujours pas de remboursement pour mon abonnement de septembre.",
            "Votre demande de remboursement",
        ),
        (
            mails.ENGLISH_REPLY,
            "Hello,\n\nStill no refund for my September pass.",
            "Your refund request",
        ),
    ],
    ids=["français", "english"],
)
def test_reply_text_is_the_new_part_without_quote_nor_signature(text, new_part, quoted):
    fields = message_parse(mails.mail(text=text)).fields()
    assert fields["reply_text"] == new_part
    assert quoted in fields["body_text"]  # the whole text is kept beside it


def test_a_quote_without_attribution_line_is_dropped_too():
    text = "Merci, c'est réglé.\n\n> Votre carte est débloquée.\n> Cordialement"
    assert message_parse(mails.mail(text=text)).reply_text == "Merci, c'est réglé."


def test_attachments_within_limits_are_kept_the_others_described_only(settings):
    settings.MAIL_ATTACHMENT_MAX_BYTES = 1000
    raw = mails.mail(
        attachments=[
            ("justificatif.pdf", "application/pdf", b"%PDF-1.4 abonnement"),
            ("photo valideur.jpg", "application/octet-stream", b"\xff\xd8\xff jpeg"),
            ("facture.pdf.exe", "application/pdf", b"MZ virus"),
            ("script.js", "application/javascript", b"alert(1)"),
            ("plan.png", "image/png", b"\x89PNG" + b"0" * 2000),
        ]
    )
    parsed = message_parse(raw)

    kept = [(a.filename, a.content_type, a.size, a.refused) for a in parsed.attachments]
    assert kept == [
        ("justificatif.pdf", "application/pdf", 19, ""),
        ("photo valideur.jpg", "image/jpeg", 8, ""),
        ("facture.pdf.exe", "application/pdf", 8, InboundFlag.ATTACHMENT_REFUSED),
        ("script.js", "application/javascript", 8, InboundFlag.ATTACHMENT_REFUSED),
        ("plan.png", "image/png", 2004, InboundFlag.ATTACHMENT_TOO_LARGE),
    ]
    assert parsed.attachments[0].content == b"%PDF-1.4 abonnement"
    assert [a.content for a in parsed.attachments[2:]] == [None, None, None]
    fields = parsed.fields()
    assert fields["flags"] == [InboundFlag.ATTACHMENT_REFUSED, InboundFlag.ATTACHMENT_TOO_LARGE]
    # the refused content is taken out of the stored raw message too; the rest stays
    assert b"TVogdmlydXM=" not in fields["raw"] and b"YWxlcnQoMSk=" not in fields["raw"]
    assert b"JVBERi0xLjQgYWJvbm5lbWVudA==" in fields["raw"]
    assert fields["raw_size"] == len(raw) > len(fields["raw"])


def test_a_30_mb_attachment_is_refused_and_not_stored():
    raw = mails.big_attachment()
    parsed = message_parse(raw)
    fields = parsed.fields()
    (video,) = parsed.attachments
    assert (video.filename, video.content_type, video.refused) == (
        "incident.mp4",
        "video/mp4",
        InboundFlag.ATTACHMENT_TOO_LARGE,
    )
    assert video.size == 7 * (30 * 1024 * 1024 // 7 + 1) and video.content is None
    assert fields["raw_size"] == len(raw) and len(fields["raw"]) < 10_000
    assert fields["subject"] == "Vidéo de l'incident" and fields["body_text"] == "Voici la vidéo."


def test_a_message_over_the_limit_keeps_its_attachments_within_it(settings):
    """An attachment too large is set aside before parsing (its size read from its base64),
    the others of the same message are read as usual."""
    settings.MAIL_ATTACHMENT_MAX_BYTES = 100_000
    pdf = b"%PDF-1.4 " + bytes(range(256)) * 300
    raw = mails.mail(
        attachments=[
            ("justificatif.pdf", "application/pdf", pdf),
            ("incident.mp4", "video/mp4", b"\x00video" * 30_000),
            ("plan.png", "image/png", b"\x89PNG" + b"\x01" * 150_000),
        ]
    )
    parsed = message_parse(raw)
    assert [(a.filename, a.size, a.refused) for a in parsed.attachments] == [
        ("justificatif.pdf", len(pdf), ""),
        ("incident.mp4", 180_000, InboundFlag.ATTACHMENT_TOO_LARGE),
        ("plan.png", 150_004, InboundFlag.ATTACHMENT_TOO_LARGE),
    ]
    assert parsed.attachments[0].content == pdf
    assert "refusée aux valideurs" in parsed.body_text
    assert parsed.flags == [InboundFlag.ATTACHMENT_TOO_LARGE]


def test_the_headers_that_tell_an_automatic_mail_are_kept():
    raw = mails.mail(
        headers={
            "Auto-Submitted": "auto-replied",
            "X-Autoreply": "yes",
            "List-Id": "<annonces.tcl-exemple.fr>",
            "X-Mailer": "Thunderbird",
            "Return-Path": "<>",
        }
    )
    headers = message_parse(raw).fields()["headers"]
    assert headers == {
        "Auto-Submitted": "auto-replied",
        "X-Autoreply": "yes",
        "List-Id": "<annonces.tcl-exemple.fr>",
        "Return-Path": "<>",
    }


def test_a_delivery_report_keeps_its_content_type():
    raw = (
        b"From: MAILER-DAEMON@exemple.fr\r\nTo: lyon@tcl-exemple.fr\r\nSubject: Undelivered\r\n"
        b"Message-ID: <rapport@exemple.fr>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type="delivery-status"; boundary="R"\r\n\r\n'
        b"--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--R\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--R--\r\n"
    )
    parsed = message_parse(raw)
    assert "report-type=delivery-status" in parsed.headers["Content-Type"]
    assert parsed.attachments == [] and parsed.body_text == "Delivery failed."


def test_no_message_id_and_our_own_message_id_are_flagged():
    assert message_parse(mails.mail(message_id=None)).flags == [InboundFlag.NO_MESSAGE_ID]
    ours = message_parse(mails.mail(message_id=message_id_new()))
    assert ours.flags == [InboundFlag.LOOP]


def test_bytes_that_are_no_e_mail_are_malformed_with_their_reason():
    fields = message_parse(mails.JUNK).fields()
    assert fields["status"] == InboundStatus.MALFORMED
    assert "aucun en-tête" in fields["error"]
    assert fields["raw"] == mails.JUNK
    assert "\x00" not in fields["body_text"]


@pytest.mark.parametrize("seed", range(40))
def test_never_raises_and_never_hands_the_database_a_nul(seed):
    """Cut, mangled and random bytes: always fields PostgreSQL accepts."""
    generator = random.Random(seed)
    source = generator.choice(
        [
            mails.mail(attachments=[("a.pdf", "application/pdf", b"%PDF")]),
            mails.broken_boundary(),
            mails.raw_8bit_headers(),
            mails.html_with_script(),
        ]
    )
    raw = bytearray(source[: generator.randrange(len(source) + 1)])
    for _ in range(generator.randrange(30)):
        if raw:
            raw[generator.randrange(len(raw))] = generator.randrange(256)
    parsed = message_parse(bytes(raw))
    for name, value in parsed.fields().items():
        if isinstance(value, str):
            assert "\x00" not in value, name
            value.encode("utf-8")  # no lone surrogate

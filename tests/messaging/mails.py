"""Raw e-mails as customers' mail clients write them, the well-formed and the broken, for
the parsing and fetching tests. French, with accents."""

import base64
import itertools
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone

_numbers = itertools.count(1)

HELENE = "Helene.Marechal@Exemple.fr"
LYON = "lyon@tcl-exemple.fr"


def mail(
    *,
    sender: str = f"Hélène Maréchal <{HELENE}>",
    to: str = f"TCL Lyon <{LYON}>",
    subject: str = "Carte Técély refusée aux valideurs",
    text: str = "Bonjour,\n\nMa carte est refusée aux valideurs depuis lundi.\n\nHélène Maréchal",
    html: str | None = None,
    message_id: str | None = "",
    date: str | None = None,
    headers: dict | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """A well-formed message; message_id "" makes a fresh one, None leaves it out."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = date or format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id or f"<{next(_numbers)}.{id(message)}@voyageurs.fr>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def broken_boundary(message_id: str = "<bord-casse@voyageurs.fr>") -> bytes:
    """The boundary declared is not the one the body uses."""
    return (
        b"From: Bruno Lef\xc3\xa8vre <bruno@exemple.fr>\r\n"
        b"To: lyon@tcl-exemple.fr\r\n"
        b"Subject: Objet perdu dans le tram T1\r\n"
        b"Message-ID: " + message_id.encode() + b"\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="DECLARE"\r\n\r\n'
        b"--UTILISE\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"J'ai oubli\xc3\xa9 mon sac dans le tram T1 ce matin.\r\n"
        b"--UTILISE--\r\n"
    )


def raw_8bit_headers(message_id: str = "<entetes-8bit@voyageurs.fr>") -> bytes:
    """Headers written in raw ISO-8859-1 bytes, never encoded (an old mail client)."""
    return (
        b"From: =?utf-8?q?Fran=C3=A7oise?= \xc9l\xe9onore <francoise@exemple.fr>\r\n"
        b"To: lyon@tcl-exemple.fr\r\n"
        b"Subject: Retard ligne C3 \xe0 Cusset, tr\xe8s g\xeanant\r\n"
        b"Message-ID: " + message_id.encode() + b"\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        b"Le bus \xe9tait en retard de vingt minutes.\r\n"
    )


def latin1_subject(message_id: str = "<latin1@voyageurs.fr>") -> bytes:
    return (
        b"From: =?iso-8859-1?q?Ren=E9e_Gu=E9rin?= <renee@exemple.fr>\r\n"
        b"To: lyon@tcl-exemple.fr\r\n"
        b"Subject: Re: =?iso-8859-1?q?R=E9clamation?=\r\n"
        b"Message-ID: " + message_id.encode() + b"\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Toujours sans r\xc3\xa9ponse.\r\n"
    )


def big_attachment(size: int = 30 * 1024 * 1024, message_id: str = "<gros@voyageurs.fr>") -> bytes:
    """A 30 MB video of the incident, over the 10 MB limit."""
    chunk = base64.encodebytes(b"\x00\x01video" * (size // 7 + 1))
    return (
        b"From: Kevin Nguyen <kevin@exemple.fr>\r\n"
        b"To: lyon@tcl-exemple.fr\r\n"
        b"Subject: =?utf-8?q?Vid=C3=A9o_de_l'incident?=\r\n"
        b"Message-ID: " + message_id.encode() + b"\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="FRONTIERE"\r\n\r\n'
        b"--FRONTIERE\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Voici la vid\xc3\xa9o.\r\n"
        b"--FRONTIERE\r\n"
        b'Content-Type: video/mp4; name="incident.mp4"\r\n'
        b'Content-Disposition: attachment; filename="incident.mp4"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + chunk + b"--FRONTIERE--\r\n"
    )


SCRIPT_HTML = (
    '<html><head><style>p{color:red}</style></head><body><p onclick="voler()">Bonjour, '
    "<b>ma carte</b> ne passe plus.</p><script>document.location='https://pirate.example'"
    '</script><img src="https://pistage.example/pixel.gif"><a href="javascript:voler()">ici'
    "</a></body></html>"
)


def html_with_script(message_id: str = "<html-script@voyageurs.fr>") -> bytes:
    """An HTML-only message with a script, an event handler and a tracking pixel."""
    return (
        b"From: Ma\xc3\xafa Lopez <maia@exemple.fr>\r\n"
        b"To: lyon@tcl-exemple.fr\r\n"
        b"Subject: Carte bloqu\xc3\xa9e\r\n"
        b"Message-ID: " + message_id.encode() + b"\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + SCRIPT_HTML.encode() + b"\r\n"
    )


JUNK = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))

FRENCH_REPLY = (
    "Bonjour,\n\nToujours pas de remboursement pour mon abonnement de septembre.\n\n"
    "Cordialement,\nHélène Maréchal\n\n"
    "Le lun. 3 nov. 2026 à 10:00, Service clients TCL <lyon@tcl-exemple.fr> a écrit :\n"
    "> Bonjour Madame Maréchal,\n> Votre demande de remboursement est enregistrée.\n"
)
ENGLISH_REPLY = (
    "Hello,\n\nStill no refund for my September pass.\n\nBest regards,\nHelen\n\n"
    "On Mon, Nov 3, 2026 at 10:00 AM Service clients TCL <lyon@tcl-exemple.fr> wrote:\n"
    "> Dear Madam,\n> Your refund request is registered.\n"
)

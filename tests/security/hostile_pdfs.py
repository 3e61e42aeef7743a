"""PDFs that are PDFs and still hostile, built with pikepdf: hidden encryption, filter chains that
inflate past the limit, and active content (scripts, actions, embedded programs, forms, media)."""

from __future__ import annotations

import binascii
import io
import zlib
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.security.hostile_payloads import MB, deflated_zeros, with_contents


def alert() -> Dictionary:
    """A JavaScript action; a new one for each file, as a direct object belongs to one."""
    return Dictionary(S=Name.JavaScript, JS=String("app.alert('hej')"))


PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(512)


def built(change: Callable[[pikepdf.Pdf], object] = lambda pdf: None) -> bytes:
    """A one-page PDF, changed by `change` before it is saved, objects written one by one."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def encrypted(user_password: str = "") -> bytes:
    """Encrypted with RC4 (the trailer names the dictionary by reference)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="ägare", user=user_password, R=4))
    return out.getvalue()


def encrypted_under_escaped_name() -> bytes:
    """`/Encr#79pt` in the trailer: #79 is `y`, so a reader sees /Encrypt; a byte pattern not."""
    pdf = encrypted("hemligt")
    trailer = pdf.rindex(b"trailer")
    return pdf[:trailer] + pdf[trailer:].replace(b"/Encrypt ", b"/Encr#79pt ")


def hex_flate_bomb(inflated: int = 150 * MB) -> bytes:
    """Page contents that are ASCII hex of a Flate stream inflating to `inflated` bytes."""
    hexed = binascii.hexlify(deflated_zeros(inflated)) + b">"
    return with_contents(hexed, b"[/ASCIIHexDecode /FlateDecode]")


def flate_flate_bomb(inflated: int = 1024 * MB) -> bytes:
    """A Flate stream deflated once more: a small file, a gigabyte of zeros."""
    return with_contents(zlib.compress(deflated_zeros(inflated), 9), b"[/FlateDecode /FlateDecode]")


def _on_page(pdf: pikepdf.Pdf, **entries: object) -> None:
    for key, value in entries.items():
        pdf.pages[0].obj[Name("/" + key)] = value


def _annotation(pdf: pikepdf.Pdf, **entries: object) -> None:
    annotation = Dictionary(Type=Name.Annot, Rect=Array([0, 0, 100, 100]), **entries)
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([annotation]))


def _script_name_tree(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("start"), pdf.make_indirect(alert())]))
    )


def _open_action(action: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = action

    return change


def _embedded_program(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["faktura.exe"] = pikepdf.AttachedFileSpec(pdf, PROGRAM)


def _attached_program(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, PROGRAM, filename="faktura.exe")
    _annotation(pdf, Subtype=Name.FileAttachment, FS=spec.obj)


def _xfa_form(pdf: pikepdf.Pdf) -> None:
    template = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=template)


def _rich_media(pdf: pikepdf.Pdf) -> None:
    content = Dictionary(Assets=Dictionary(Names=Array([])), Configurations=Array([]))
    _annotation(pdf, Subtype=Name.RichMedia, RichMediaContent=content)


# Every place a script or an action can hide, as (name, the file, the code it is refused with).
ACTIVE_CONTENT = [
    ("script-open-action", built(_open_action(alert())), "attachment.scripts"),
    ("script-name-tree", built(_script_name_tree), "attachment.scripts"),
    (
        "script-link",
        built(lambda pdf: _annotation(pdf, Subtype=Name.Link, A=alert())),
        "attachment.scripts",
    ),
    (
        "script-page-open",
        built(lambda pdf: _on_page(pdf, AA=Dictionary(O=alert()))),
        "attachment.scripts",
    ),
    (
        "uri-open-action",
        built(_open_action(Dictionary(S=Name.URI, URI=String("https://example.com/")))),
        "attachment.actions",
    ),
    (
        "page-open-uri",
        built(
            lambda pdf: _on_page(
                pdf, AA=Dictionary(O=Dictionary(S=Name.URI, URI=String("https://x.example/")))
            )
        ),
        "attachment.actions",
    ),
    (
        "launch-link",
        built(
            lambda pdf: _annotation(
                pdf, Subtype=Name.Link, A=Dictionary(S=Name.Launch, F=String("cmd.exe"))
            )
        ),
        "attachment.actions",
    ),
    ("embedded-exe", built(_embedded_program), "attachment.embedded_files"),
    ("attached-exe", built(_attached_program), "attachment.embedded_files"),
    ("xfa", built(_xfa_form), "attachment.xfa"),
    ("rich-media", built(_rich_media), "attachment.rich_media"),
]


# What an honest file may hold: a link to a web page, and opening at a page (a destination).
def _link_and_destination(pdf: pikepdf.Pdf) -> None:
    _annotation(pdf, Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("https://x.se/")))
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])


HONEST_LINK_AND_DESTINATION = built(_link_and_destination)

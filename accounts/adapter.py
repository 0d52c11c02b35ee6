"""allauth adapters of the portal."""

from io import BytesIO

import qrcode
from allauth.mfa.adapter import DefaultMFAAdapter
from qrcode.image.svg import SvgPathFillImage


class MFAAdapter(DefaultMFAAdapter):
    def build_totp_svg(self, url: str) -> str:
        """The TOTP QR code on a white background.

        allauth's is transparent: with the DSFR dark theme (data-fr-scheme="system") its black
        modules would sit on a near-black page and no authenticator app could read them.
        """
        buffer = BytesIO()
        qrcode.make(url, image_factory=SvgPathFillImage).save(buffer)
        return buffer.getvalue().decode("utf-8")

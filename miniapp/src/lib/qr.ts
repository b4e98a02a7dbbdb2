// Renders a QR string to a PNG data URL on a canvas (client-side; the token never leaves the phone).
import QRCode from 'qrcode';

export function qrToDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 480, // drawn large, shown at ~240 CSS px: sharp on 2x screens
    color: { dark: '#000000', light: '#ffffff' },
  });
}

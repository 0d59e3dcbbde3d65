/** Modules of white border a QR code needs around it to be read (its quiet zone). */
const QUIET_ZONE = 4;

/** A QR code drawn from its modules (see qrCodeOf in present.server.ts): one path, named for assistive technology. */
export function QrCode({ size, path, label }: { size: number; path: string; label: string }) {
  const extent = size + 2 * QUIET_ZONE;
  return (
    <svg className="qr-code" role="img" aria-label={label} viewBox={`${-QUIET_ZONE} ${-QUIET_ZONE} ${extent} ${extent}`} shapeRendering="crispEdges">
      <rect x={-QUIET_ZONE} y={-QUIET_ZONE} width={extent} height={extent} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

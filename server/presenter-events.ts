import type { PresenterBus, PresenterPosition } from "#app/present/events";
import { InProcessEvents } from "./document-events";

/** The presenters' positions, fanned out in this process, with the last one of each document kept for late followers. */
export class InProcessPresenterEvents extends InProcessEvents<PresenterPosition> implements PresenterBus {
  private readonly positions = new Map<string, PresenterPosition>();

  override publish(documentId: string, position: PresenterPosition): void {
    this.positions.set(documentId, position);
    super.publish(documentId, position);
  }

  current(documentId: string): Promise<PresenterPosition | undefined> {
    return Promise.resolve(this.positions.get(documentId));
  }
}

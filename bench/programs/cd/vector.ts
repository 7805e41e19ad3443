// Immutable 2-D and 3-D vectors for the CD benchmark; 2-D ones are ordered
// (x, then y) so they can key the red-black tree.

export class Vector2D {
  constructor(readonly x: number, readonly y: number) {}

  compareTo(other: Vector2D): number {
    if (this.x !== other.x) return this.x < other.x ? -1 : 1;
    if (this.y !== other.y) return this.y < other.y ? -1 : 1;
    return 0;
  }
}

export class Vector3D {
  constructor(readonly x: number, readonly y: number, readonly z: number) {}
  plus(o: Vector3D): Vector3D { return new Vector3D(this.x + o.x, this.y + o.y, this.z + o.z); }
  minus(o: Vector3D): Vector3D { return new Vector3D(this.x - o.x, this.y - o.y, this.z - o.z); }
  times(k: number): Vector3D { return new Vector3D(this.x * k, this.y * k, this.z * k); }
  dot(o: Vector3D): number { return this.x * o.x + this.y * o.y + this.z * o.z; }
  squaredMagnitude(): number { return this.dot(this); }
  magnitude(): number { return Math.sqrt(this.squaredMagnitude()); }
}

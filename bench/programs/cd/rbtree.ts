// An insert-only red-black tree (CLRS) for keys with compareTo: put returns
// the previous value (undefined when new), get, and in-order forEach.

interface Comparable<K> {
  compareTo(other: K): number;
}

class Node<K, V> {
  left: Node<K, V> | null = null;
  right: Node<K, V> | null = null;
  red = true;
  constructor(readonly key: K, public value: V, public parent: Node<K, V> | null) {}
}

export class RedBlackTree<K extends Comparable<K>, V> {
  private root: Node<K, V> | null = null;

  get(key: K): V | undefined {
    let node = this.root;
    while (node !== null) {
      const c = key.compareTo(node.key);
      if (c === 0) return node.value;
      node = c < 0 ? node.left : node.right;
    }
    return undefined;
  }

  put(key: K, value: V): V | undefined {
    let parent: Node<K, V> | null = null;
    let node = this.root;
    let c = 0;
    while (node !== null) {
      c = key.compareTo(node.key);
      if (c === 0) {
        const old = node.value;
        node.value = value;
        return old;
      }
      parent = node;
      node = c < 0 ? node.left : node.right;
    }
    const fresh = new Node(key, value, parent);
    if (parent === null) this.root = fresh;
    else if (c < 0) parent.left = fresh;
    else parent.right = fresh;
    this.fixAfterInsert(fresh);
    return undefined;
  }

  forEach(fn: (key: K, value: V) => void): void {
    const walk = (node: Node<K, V> | null): void => {
      if (node === null) return;
      walk(node.left);
      fn(node.key, node.value);
      walk(node.right);
    };
    walk(this.root);
  }

  private fixAfterInsert(x: Node<K, V>): void {
    while (x !== this.root && x.parent!.red) {
      const p = x.parent!;
      const g = p.parent!;
      if (p === g.left) {
        const y = g.right;
        if (y !== null && y.red) {
          p.red = false; y.red = false; g.red = true;
          x = g;
        } else {
          if (x === p.right) {
            x = p;
            this.rotateLeft(x);
          }
          x.parent!.red = false;
          x.parent!.parent!.red = true;
          this.rotateRight(x.parent!.parent!);
        }
      } else {
        const y = g.left;
        if (y !== null && y.red) {
          p.red = false; y.red = false; g.red = true;
          x = g;
        } else {
          if (x === p.left) {
            x = p;
            this.rotateRight(x);
          }
          x.parent!.red = false;
          x.parent!.parent!.red = true;
          this.rotateLeft(x.parent!.parent!);
        }
      }
    }
    this.root!.red = false;
  }

  private rotateLeft(x: Node<K, V>): void {
    const y = x.right!;
    x.right = y.left;
    if (y.left !== null) y.left.parent = x;
    y.parent = x.parent;
    if (x.parent === null) this.root = y;
    else if (x === x.parent.left) x.parent.left = y;
    else x.parent.right = y;
    y.left = x;
    x.parent = y;
  }

  private rotateRight(x: Node<K, V>): void {
    const y = x.left!;
    x.left = y.right;
    if (y.right !== null) y.right.parent = x;
    y.parent = x.parent;
    if (x.parent === null) this.root = y;
    else if (x === x.parent.right) x.parent.right = y;
    else x.parent.left = y;
    y.right = x;
    x.parent = y;
  }
}

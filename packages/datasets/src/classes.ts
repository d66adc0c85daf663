/** Fashion-MNIST class names by label index (Zalando Research's labelling). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Number of Fashion-MNIST classes. */
export const FASHION_MNIST_NUM_CLASSES = 10;

/** Image side of Fashion-MNIST (28 × 28 pixels). */
export const FASHION_MNIST_SIDE = 28;

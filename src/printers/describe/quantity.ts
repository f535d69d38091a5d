// describe's quantities are the apiserver's: one exact implementation of resource.Quantity.
export {
  type QFormat,
  type Quantity,
  parseQuantity,
  addQuantity,
  milliValue,
  value,
  formatQuantity,
  canonical,
} from '../../apiserver/quantity.js';
